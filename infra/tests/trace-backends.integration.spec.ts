import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { JaegerClient, TempoClient, traceQlLinkingTo, traceQlTrace, waitForTrace, type StoredSpan, type TraceStore } from '@mqtrace/trace-query';
import { newIds, nowNanos, sendSpans } from './support/otlp-json.js';
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

// Tempo keeps trace ids without leading zeros, and matches them only that way: one trace
// in 16 starts with a zero, and a query spelled with all 32 digits missed it (verify's
// link search and the journey page's TraceQL, now and then).
describe('trace ids with leading zeros, in Tempo', () => {
  const endpoints = stackEndpoints();
  const tempo = new TempoClient(endpoints.tempoUrl);
  const withZeros = (zeros: number) => '0'.repeat(zeros) + newIds().traceId.slice(zeros).replace(/^0/, 'a');

  before(async () => {
    await assertStackReachable(['collector', 'tempo']);
  });

  for (const zeros of [1, 2]) {
    it(`finds a trace whose id starts with ${zeros} zero(s), and the trace linking into it, by the TraceQL the tools build`, async () => {
      const linked = { traceId: withZeros(zeros), spanId: newIds().spanId };
      const linking = newIds();
      const start = nowNanos();
      await sendSpans(endpoints.otlpEndpoint, TEST_SERVICE, [
        { ...linked, name: 'zeros linked', startNanos: start, endNanos: start + 1_000_000n },
        { ...linking, name: 'zeros linking', startNanos: start, endNanos: start + 1_000_000n, links: [linked] },
      ]);
      const found = async (query: string, traceId: string) => {
        for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 500))) {
          if ((await tempo.searchTraceIds(query, { sinceSeconds: 600 })).includes(traceId)) return true;
        }
        return false;
      };
      assert.ok(await found(traceQlTrace(linked.traceId), linked.traceId), `${traceQlTrace(linked.traceId)} finds ${linked.traceId}`);
      assert.ok(await found(traceQlLinkingTo(linked.traceId), linking.traceId), `${traceQlLinkingTo(linked.traceId)} finds ${linking.traceId}`);
    });
  }
});
