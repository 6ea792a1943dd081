import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

// NestJS resolves constructor parameters from the `design:paramtypes` metadata the
// compiler emits. If the toolchain stops emitting it (a compiler that lacks
// emitDecoratorMetadata, a tsconfig change), injection silently yields undefined.
@Injectable()
class Clock {
  now(): string {
    return 'tick';
  }
}

@Injectable()
class Reporter {
  constructor(readonly clock: Clock) {}
}

@Module({ providers: [Clock, Reporter] })
class ToolchainCheckModule {}

describe('the TypeScript toolchain', () => {
  it('emits the constructor metadata NestJS needs', () => {
    assert.deepEqual(Reflect.getMetadata('design:paramtypes', Reporter), [Clock]);
  });

  it('lets NestJS (ESM-only since 12) inject a provider by its class', async () => {
    const app = await NestFactory.createApplicationContext(ToolchainCheckModule, { logger: false });
    try {
      assert.equal(app.get(Reporter).clock.now(), 'tick');
    } finally {
      await app.close();
    }
  });
});
