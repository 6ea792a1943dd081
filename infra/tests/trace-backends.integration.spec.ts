import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { JaegerClient, TempoClient, waitForTrace, type StoredSpan, type TraceStore } from '@mqtrace/trace-query';
import { exportTestTrace, TEST_SERVICE, type TestTrace } from './support/test-trace.js';

// The whole export path of the stack: Node SDK --OTLP/HTTP--> collector gateway
// --load balancing--> tail-sampling collector --OTLP/gRPC--> Tempo and Jaeger.
describe('a span exported by the Node SDK', () => {
  const endpoints = stackEndpoints();
  const stores: TraceStore[] = [new TempoClient(endpoints.tempoUrl), new JaegerClient(endpoints.jaegerUrl)];
  let exported: TestTrace;

  before(async () => {
    await assertStackReachable(['collector', 'tempo', 'jaeger']);
    exported = await exportTestTrace(endpoints.otlpEndpoint);
  });

  for (const store of stores) {
    it(`is found by trace id in ${store.name}, with its parent, kind, status and attributes`, async () => {
      const spans = await waitForTrace(store, exported.traceId, { until: (found) => found.length === 2 });
      assert.ok(spans, `${store.name} never returned trace ${exported.traceId}`);
      const byName = new Map(spans.map((span): [string, StoredSpan] => [span.name, span]));
      const parent = byName.get('smoke parent');
      const child = byName.get('smoke child');
      assert.ok(parent && child);
      assert.equal(parent.service, TEST_SERVICE);
      assert.equal(parent.kind, 'SERVER');
      assert.equal(parent.parentSpanId, undefined);
      assert.equal(parent.attributes['test.marker'], exported.marker);
      assert.equal(child.kind, 'PRODUCER');
      assert.equal(child.parentSpanId, exported.parentSpanId);
      assert.equal(child.status, 'ERROR');
    });

    it(`reports an unknown trace id as not found in ${store.name}`, async () => {
      const unknown = randomBytes(16).toString('hex');
      assert.equal(await store.getTrace(unknown), undefined);
      assert.equal(await waitForTrace(store, unknown, { timeoutMs: 1000 }), undefined);
    });
  }
});
