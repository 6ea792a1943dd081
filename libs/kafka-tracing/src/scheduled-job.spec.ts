import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { captureTraceContext, runLinkedJob, type StoredTraceContext } from './scheduled-job.js';
import { installInMemoryTracing } from './testing/in-memory-tracing.js';

const tracing = installInMemoryTracing();
const tracer = trace.getTracer('test');
after(() => tracing.shutdown());

/** Enqueues an item inside its own trace and stores its context, as a service would. */
function enqueueInNewTrace(): { stored: StoredTraceContext; spanId: string; traceId: string } {
  const span = tracer.startSpan('enqueue', {}, ROOT_CONTEXT);
  const stored = captureTraceContext(trace.setSpan(ROOT_CONTEXT, span));
  span.end();
  return { stored, ...span.spanContext() };
}

describe('scheduled jobs', () => {
  beforeEach(() => tracing.reset());

  it('captureTraceContext stores the active context as plain JSON-safe fields', () => {
    const span = tracer.startSpan('enqueue');
    const stored = context.with(trace.setSpan(context.active(), span), () => captureTraceContext());
    span.end();
    assert.deepEqual(JSON.parse(JSON.stringify(stored)), stored);
    assert.equal(stored['traceparent'], `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
  });

  it('a job run is a root INTERNAL span linked to every enqueuing trace', async () => {
    const items = [enqueueInNewTrace(), enqueueInNewTrace(), enqueueInNewTrace()];
    const outer = tracer.startSpan('unrelated');
    const result = await context.with(trace.setSpan(ROOT_CONTEXT, outer), () =>
      runLinkedJob(items.map((item) => item.stored), () => trace.getActiveSpan()?.spanContext().spanId, { jobName: 'payments.reconciliation' }),
    );
    outer.end();
    const [job] = tracing.named('payments.reconciliation');
    assert.ok(job);
    assert.equal(result, job.spanContext().spanId);
    assert.equal(job.kind, SpanKind.INTERNAL);
    assert.equal(job.parentSpanContext, undefined);
    assert.notEqual(job.spanContext().traceId, outer.spanContext().traceId);
    assert.deepEqual(
      job.links.map((link) => [link.context.traceId, link.context.spanId]),
      items.map((item) => [item.traceId, item.spanId]),
    );
    assert.equal(job.attributes['mqtrace.job.trigger'], 'scheduler');
    assert.equal(job.attributes['mqtrace.job.name'], 'payments.reconciliation');
    assert.equal(job.attributes['mqtrace.job.items'], 3);
    assert.equal(job.attributes['mqtrace.job.links_dropped'], 0);
  });

  it('caps the links and counts what was dropped, unreadable contexts included', async () => {
    const items = [enqueueInNewTrace(), enqueueInNewTrace(), enqueueInNewTrace()].map((item) => item.stored);
    const garbage = [{ traceparent: 'garbage' }, {}, null as unknown as StoredTraceContext];
    await runLinkedJob([...garbage, ...items], () => undefined, { jobName: 'job', maxLinks: 2 });
    const [job] = tracing.named('job');
    assert.equal(job?.links.length, 2);
    assert.equal(job?.attributes['mqtrace.job.items'], 6);
    assert.equal(job?.attributes['mqtrace.job.links_dropped'], 4);
  });

  it('a failing run marks the span and rethrows', async () => {
    await assert.rejects(
      runLinkedJob([], () => {
        throw new Error('ledger unavailable');
      }, { jobName: 'job', trigger: 'manual' }),
      /ledger unavailable/,
    );
    const [job] = tracing.named('job');
    assert.equal(job?.status.code, SpanStatusCode.ERROR);
    assert.equal(job?.attributes['mqtrace.job.trigger'], 'manual');
  });
});
