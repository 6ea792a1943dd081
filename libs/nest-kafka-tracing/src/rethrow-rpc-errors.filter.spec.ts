import 'reflect-metadata';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Module, NotFoundException, type ArgumentsHost, type HttpServer, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { lastValueFrom, type Observable } from 'rxjs';
import { RethrowRpcErrorsFilter } from './rethrow-rpc-errors.filter.js';

// In a hybrid application the microservice may inherit the HTTP app's global filters:
// the filter must then leave HTTP errors exactly as Nest's default filter answers them.
@Controller()
class HttpRoutes {
  @Get('missing')
  missing(): never {
    throw new NotFoundException('no such order');
  }

  @Get('boom')
  boom(): never {
    throw new Error('database exploded');
  }
}
@Module({ controllers: [HttpRoutes] })
class HttpModule {}

describe('RethrowRpcErrorsFilter', () => {
  let app: INestApplication;
  let base: string;
  before(async () => {
    app = await NestFactory.create(HttpModule, { logger: false });
    app.useGlobalFilters(new RethrowRpcErrorsFilter(app.getHttpAdapter()));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  after(() => app?.close());

  it('keeps HTTP exceptions and their status codes in HTTP contexts', async () => {
    const missing = await fetch(`${base}/missing`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { statusCode: 404, message: 'no such order', error: 'Not Found' });
    const boom = await fetch(`${base}/boom`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(boom.status, 500);
    assert.deepEqual(await boom.json(), { statusCode: 500, message: 'Internal server error' });
  });

  it('answers a non-RPC request itself, as Nest\'s default filter does, instead of returning a stream', () => {
    const replies: Array<{ body: unknown; status: number }> = [];
    const adapter = { isHeadersSent: () => false, reply: (_response: unknown, body: unknown, status: number) => void replies.push({ body, status }) } as unknown as HttpServer;
    const httpHost = { getType: () => 'http', getArgByIndex: () => ({}) } as unknown as ArgumentsHost;
    const result = new RethrowRpcErrorsFilter(adapter).catch(new NotFoundException('no such order'), httpHost);
    assert.equal(result, undefined);
    assert.deepEqual(replies, [{ body: { statusCode: 404, message: 'no such order', error: 'Not Found' }, status: 404 }]);
  });

  it('passes the original error on in RPC contexts', async () => {
    const original = new RangeError('card declined');
    const rpcHost = { getType: () => 'rpc' } as unknown as ArgumentsHost;
    const result = new RethrowRpcErrorsFilter().catch(original, rpcHost) as Observable<never>;
    await assert.rejects(lastValueFrom(result), (error: unknown) => error === original);
  });
});
