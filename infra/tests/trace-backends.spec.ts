import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { stackEndpoints } from '@mqtrace/config';
import { JaegerClient, TempoClient, waitForTrace, type StoredSpan, type TraceStore } from '@mqtrace/trace-query';

// The whole export path of the stack: Node SDK --OTLP/HTTP--> collector gateway
// --load balancing--> tail-sampling collector --OTLP/gRPC--> Tempo and Jaeger.
describe('a span exported by the Node SDK', () => {
  const endpoints = stackEndpoints();
  const stores: TraceStore[] = [new TempoClient(endpoints.tempoUrl), new JaegerClient(endpoints.jaegerUrl)];
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'infra-smoke-test' }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${endpoints.otlpEndpoint}/v1/traces` }) })],
  });
  const tracer = provider.getTracer('infra-smoke-test');
  const marker = randomBytes(8).toString('hex');
  let traceId: string;
  let parentSpanId: string;

  before(async () => {
    const parent = tracer.startSpan('smoke parent', { kind: SpanKind.SERVER, attributes: { 'test.marker': marker } });
    const child = tracer.startSpan('smoke child', { kind: SpanKind.PRODUCER }, trace.setSpan(context.active(), parent));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'expected' });
    child.end();
    parent.end();
    traceId = parent.spanContext().traceId;
    parentSpanId = parent.spanContext().spanId;
    await provider.forceFlush();
  });
  after(() => provider.shutdown());

  for (const store of stores) {
    it(`is found by trace id in ${store.name}, with its parent, kind, status and attributes`, async () => {
      const spans = await waitForTrace(store, traceId, { until: (found) => found.length === 2 });
      assert.ok(spans, `${store.name} never returned trace ${traceId}`);
      const byName = new Map(spans.map((span): [string, StoredSpan] => [span.name, span]));
      const parent = byName.get('smoke parent');
      const child = byName.get('smoke child');
      assert.ok(parent && child);
      assert.equal(parent.service, 'infra-smoke-test');
      assert.equal(parent.kind, 'SERVER');
      assert.equal(parent.parentSpanId, undefined);
      assert.equal(parent.attributes['test.marker'], marker);
      assert.equal(child.kind, 'PRODUCER');
      assert.equal(child.parentSpanId, parentSpanId);
      assert.equal(child.status, 'ERROR');
    });

    it(`reports an unknown trace id as not found in ${store.name}`, async () => {
      const unknown = randomBytes(16).toString('hex');
      assert.equal(await store.getTrace(unknown), undefined);
      assert.equal(await waitForTrace(store, unknown, { timeoutMs: 1000 }), undefined);
    });
  }
});
