// What the services' instrumentations really record in a NestJS 12 HTTP service: a
// tiny Express-platform app, one real request, and the spans grouped by the
// instrumentation that made them. The ESM loader hook goes first, as
// `@mqtrace/telemetry/register` installs it, because NestJS 12 is ESM-only and
// instrumentations cannot patch an `import`ed module without it.
import 'reflect-metadata';
import { register } from 'node:module';
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { DISABLED_INSTRUMENTATIONS, serviceInstrumentations } from './service-instrumentations.js';

const HTTP = '@opentelemetry/instrumentation-http';
const EXPRESS = '@opentelemetry/instrumentation-express';
const NESTJS = '@opentelemetry/instrumentation-nestjs-core';

// The request's SERVER span ends after the client has its answer, so the test awaits
// that span's end rather than polling for it.
let serverSpanEnded: (span: ReadableSpan) => void = () => undefined;
const serverSpan = new Promise<ReadableSpan>((resolve) => (serverSpanEnded = resolve));
const onServerSpanEnd: SpanProcessor = {
  onStart: () => undefined,
  onEnd: (span) => {
    if (span.kind === SpanKind.SERVER) serverSpanEnded(span);
  },
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter }), onServerSpanEnd] });
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

// The services' list, plus instrumentation-nestjs-core switched back on: the test shows
// what it would add on NestJS 12 (nothing) and fails the day it starts to add spans.
// (Instrumentations enable themselves when constructed, hence the disable() of the others.)
const instrumentations = serviceInstrumentations();
const names = instrumentations.map((instrumentation) => instrumentation.instrumentationName);
const nestjsCore = names.includes(NESTJS)
  ? []
  : getNodeAutoInstrumentations({ [NESTJS]: { enabled: true } }).filter((instrumentation) => {
      if (instrumentation.instrumentationName === NESTJS) return true;
      instrumentation.disable();
      return false;
    });
const disableInstrumentations = registerInstrumentations({ instrumentations: [...instrumentations, ...nestjsCore] });

// Loaded only now, so the instrumentations can patch them.
const { Controller, Get, Module, Param } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { ExpressAdapter } = await import('@nestjs/platform-express');

@Controller('orders')
class OrdersController {
  @Get(':id')
  find(@Param('id') id: string): { id: string } {
    return { id };
  }
}

@Module({ controllers: [OrdersController] })
class OrdersModule {}

describe('serviceInstrumentations in a NestJS 12 HTTP service', () => {
  const app = NestFactory.create(OrdersModule, new ExpressAdapter(), { logger: ['error'] });
  const spansByScope = new Map<string, ReadableSpan[]>();
  let server: ReadableSpan;

  before(async () => {
    await (await app).listen(0, '127.0.0.1');
    const { port } = (await app).getHttpServer().address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/orders/42`);
    assert.deepEqual(await response.json(), { id: '42' });
    server = await serverSpan;
    for (const span of exporter.getFinishedSpans()) {
      spansByScope.set(span.instrumentationScope.name, [...(spansByScope.get(span.instrumentationScope.name) ?? []), span]);
    }
  });
  after(async () => {
    await (await app).close();
    disableInstrumentations();
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('records the request as an HTTP SERVER span named after the route', () => {
    assert.equal(server.instrumentationScope.name, HTTP);
    assert.equal(server.name, 'GET /orders/:id');
    assert.equal(server.attributes['http.route'], '/orders/:id');
    assert.equal(server.attributes['http.response.status_code'], 200);
  });

  it('records no span per Express layer: they end before the handler could give them an order id', () => {
    assert.deepEqual((spansByScope.get(EXPRESS) ?? []).map((span) => span.name), []);
  });

  it('records nothing else in the request trace', () => {
    const traceId = server.spanContext().traceId;
    const scopes = new Set(exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId).map((span) => span.instrumentationScope.name));
    assert.deepEqual([...scopes].sort(), [HTTP]);
  });

  it('does not trace liveness and readiness probes, with or without a query string', async () => {
    const { port } = (await app).getHttpServer().address() as AddressInfo;
    for (const path of ['/health/live', '/health/ready', '/health/ready?verbose=1']) await (await fetch(`http://127.0.0.1:${port}${path}`)).arrayBuffer();
    await (await fetch(`http://127.0.0.1:${port}/orders/43`)).arrayBuffer();
    await provider.forceFlush();
    const targets = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER).map((span) => span.attributes['url.path']);
    assert.ok(targets.includes('/orders/43'), `the request after the probes is traced: ${JSON.stringify(targets)}`);
    assert.deepEqual(targets.filter((path) => String(path).startsWith('/health')), []);
  });

  it('gets nothing from instrumentation-nestjs-core, which supports @nestjs/core < 12 only', () => {
    assert.ok(names.includes(NESTJS) || nestjsCore.length === 1, 'instrumentation-nestjs-core was not registered: this test would prove nothing');
    const nest = spansByScope.get(NESTJS) ?? [];
    assert.deepEqual(
      nest.map((span) => span.name),
      [],
      'instrumentation-nestjs-core now records NestJS 12: decide whether to enable it in DISABLED_INSTRUMENTATIONS (and update the README)',
    );
  });

  it('leaves kafkajs to the tracing library', () => {
    assert.deepEqual(DISABLED_INSTRUMENTATIONS['@opentelemetry/instrumentation-kafkajs'], { enabled: false });
    assert.equal(names.includes('@opentelemetry/instrumentation-kafkajs'), false);
  });
});
