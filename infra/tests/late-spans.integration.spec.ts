import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { stackEndpoints } from '@mqtrace/config';
import { TempoClient, waitForTrace } from '@mqtrace/trace-query';
import { startGateway, startSampler, type PrivateCollector } from './support/collectors.js';
import { TEST_SERVICE } from './support/test-trace.js';

// A private pair of collector tiers, from the same config files, exporting into the
// shared Tempo. The sampler keeps only errors and holds one trace at a time, so a trace
// leaves its buffer as soon as the next one arrives: only the decision cache can tell a
// late span of that trace which way it went.

/** The sampler's settings for this test: errors only, one trace held at a time. */
const SAMPLER_SETTINGS = { TAIL_SAMPLING_NUM_TRACES: '1', TAIL_SAMPLING_DECISION_WAIT: '1s', TAIL_SAMPLING_BASELINE_PERCENT: '0' };
let gatewayUrl = '';

/** Exports one span of `traceId` (a new trace when absent), ERROR or OK, and flushes it. */
const exportSpan = async ({ traceId, error }: { traceId?: string; error: boolean }) => {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: TEST_SERVICE }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${gatewayUrl}/v1/traces` }) })],
  });
  const parent = traceId ? trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.SAMPLED, isRemote: true }) : ROOT_CONTEXT;
  const span = provider.getTracer(TEST_SERVICE).startSpan(error ? 'failing work' : 'late work', {}, parent);
  if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'expected' });
  span.end();
  await provider.shutdown();
  return span.spanContext().traceId;
};

describe('the sampler and late spans', () => {
  const tempo = new TempoClient(stackEndpoints().tempoUrl);
  const collectors: PrivateCollector[] = [];

  before(async () => {
    const sampler = await startSampler(SAMPLER_SETTINGS);
    collectors.push(sampler);
    const gateway = await startGateway([sampler]);
    collectors.push(gateway);
    gatewayUrl = gateway.otlp;
  });
  after(async () => {
    await Promise.all(collectors.map((collector) => collector.stop()));
  });

  it('a span that arrives after its trace was kept, and after the trace left the buffer, is kept too', async () => {
    const kept = await exportSpan({ error: true });
    assert.ok(await waitForTrace(tempo, kept, { timeoutMs: 30_000 }), 'the error trace was kept');
    // The next trace pushes the first out of the one-trace buffer.
    const next = await exportSpan({ error: true });
    assert.ok(await waitForTrace(tempo, next, { timeoutMs: 30_000 }), 'the second error trace was kept');

    await exportSpan({ traceId: kept, error: false });
    const spans = await waitForTrace(tempo, kept, { timeoutMs: 20_000, until: (found) => found.length === 2 });
    assert.deepEqual(spans?.map((span) => span.name).sort(), ['failing work', 'late work']);
  });

  it('an OK trace is still dropped by this sampler (the control: only the decision kept the late span)', async () => {
    const dropped = await exportSpan({ error: false });
    // Decisions go in arrival order: once a later error trace is in Tempo, the OK one was decided.
    const later = await exportSpan({ error: true });
    assert.ok(await waitForTrace(tempo, later, { timeoutMs: 30_000 }), 'the later error trace was kept');
    assert.equal(await tempo.getTrace(dropped), undefined);
  });
});
