import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stackEndpoints } from '@mqtrace/config';
import { TempoClient, waitForTrace } from '@mqtrace/trace-query';
import { counterValue, startGateway, startSampler, type PrivateCollector } from './support/collectors.js';
import { newIds, nowNanos, sendSpans, type RawSpan } from './support/otlp-json.js';

// The two collector tiers as infra/otelcol's config files define them, started privately
// (the collector binary of the native stack, ports of their own) so their settings and
// their own metrics belong to this test alone; they export to the shared Tempo and Jaeger.
const tempo = new TempoClient(stackEndpoints().tempoUrl);
const SERVICE = 'tail-sampling-test';
/** The tail-sampling processor's count of traces it started deciding on. */
const NEW_TRACES = 'otelcol_processor_tail_sampling_new_trace_id_received';

/** A two-span trace: a root of `durationMs`, and a child that fails when `error`. */
function twoSpanTrace(durationMs: number, { error = false } = {}): { traceId: string; spans: [RawSpan, RawSpan] } {
  const { traceId, spanId } = newIds();
  const end = nowNanos();
  const start = end - BigInt(durationMs) * 1_000_000n;
  const root: RawSpan = { traceId, spanId, name: 'root', startNanos: start, endNanos: end };
  const child: RawSpan = { traceId, spanId: newIds().spanId, parentSpanId: spanId, name: 'child', startNanos: start, endNanos: start + 1_000_000n, error };
  return { traceId, spans: [root, child] };
}

describe('tail sampling with the baseline share at 0 (TAIL_SAMPLING_BASELINE_PERCENT=0)', () => {
  const started: PrivateCollector[] = [];
  let gateway: PrivateCollector;
  let sampler: PrivateCollector;
  before(async () => {
    sampler = await startSampler({ TAIL_SAMPLING_BASELINE_PERCENT: '0' });
    started.push(sampler);
    gateway = await startGateway([sampler]);
    started.push(gateway);
  });
  after(async () => {
    await Promise.all(started.map((collector) => collector.stop()));
  });

  it('keeps a trace with an error and a trace slower than the threshold, drops a fast trace without errors', async () => {
    // The fast trace goes first: it is decided no later than the other two.
    const fast = twoSpanTrace(5);
    const failed = twoSpanTrace(5, { error: true });
    const slow = twoSpanTrace(1_500);
    for (const trace of [fast, failed, slow]) await sendSpans(gateway.otlp, SERVICE, trace.spans);

    for (const kept of [failed, slow]) {
      const spans = await waitForTrace(tempo, kept.traceId, { until: (found) => found.length === 2 });
      assert.equal(spans?.length, 2, `trace ${kept.traceId} kept whole`);
    }
    // All three were decided (none is still waiting), and only two were kept.
    const metrics = await sampler.metrics();
    assert.equal(counterValue(metrics, NEW_TRACES), 3, metrics);
    assert.equal(counterValue(metrics, 'otelcol_processor_tail_sampling_global_count_traces_sampled', { sampled: 'false' }), 1, metrics);
    assert.equal(await tempo.getTrace(fast.traceId), undefined, 'the fast OK trace was dropped');
  });
});

describe('the gateway routes by trace id: two sampling instances, each trace whole on one', () => {
  const started: PrivateCollector[] = [];
  let samplers: PrivateCollector[];
  /** Spans the samplers received in the tests before. */
  let spansBefore = 0;
  before(async () => {
    samplers = [await startSampler(), await startSampler()];
    started.push(...samplers);
  });
  after(async () => {
    await Promise.all(started.map((collector) => collector.stop()));
  });

  /**
   * Sends `count` traces, each in two requests (its root, then its child), the first
   * request to `first` and the second to `second`; returns how many traces each sampler
   * started a decision on.
   */
  async function sendSplitTraces(count: number, first: PrivateCollector, second: PrivateCollector): Promise<number[]> {
    const before = await Promise.all(samplers.map(async (sampler) => counterValue(await sampler.metrics(), NEW_TRACES)));
    const traces = Array.from({ length: count }, () => twoSpanTrace(5));
    for (const { spans } of traces) await sendSpans(first.otlp, SERVICE, [spans[0]]);
    for (const { spans } of traces) await sendSpans(second.otlp, SERVICE, [spans[1]]);
    // Every span has left the gateways once the samplers have seen all of them.
    const expected = count * 2;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const received = (await Promise.all(samplers.map(async (sampler) => counterValue(await sampler.metrics(), 'otelcol_receiver_accepted_spans')))).reduce((sum, value) => sum + value, 0);
      if (received >= expected + spansBefore) break;
      if (Date.now() > deadline) throw new Error(`the samplers received ${received - spansBefore} of ${expected} spans`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    spansBefore += expected;
    return Promise.all(samplers.map(async (sampler, index) => counterValue(await sampler.metrics(), NEW_TRACES) - (before[index] ?? 0)));
  }
  /** Each trace was decided on by one instance only, and both instances got a share. */
  const assertWholeTraces = (perSampler: readonly number[], count: number) => {
    assert.equal(perSampler.reduce((sum, value) => sum + value, 0), count, `traces started per sampler: ${perSampler.join(', ')} for ${count} traces`);
    assert.ok(perSampler.every((value) => value >= count / 5), `both samplers get a share: ${perSampler.join(', ')}`);
  };

  it('200 traces, each sent in two requests through the gateway: each reaches one instance whole, and both instances share the load', async () => {
    const gateway = await startGateway(samplers);
    started.push(gateway);
    assertWholeTraces(await sendSplitTraces(200, gateway, gateway), 200);
  });

  it('the same check fails when the routing is bypassed (each half of a trace sent to a different instance)', async () => {
    const [toFirst, toSecond] = [await startGateway([samplers[0]!]), await startGateway([samplers[1]!])];
    started.push(toFirst, toSecond);
    const perSampler = await sendSplitTraces(200, toFirst, toSecond);
    assert.throws(() => assertWholeTraces(perSampler, 200), /traces started per sampler: 200, 200 for 200 traces/);
  });
});
