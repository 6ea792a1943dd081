import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { headerGetter } from './header-carrier.js';
import { CapturingSender } from './testing/fake-kafka.js';
import { installInMemoryTracing } from './testing/in-memory-tracing.js';
import { sendTraced } from './traced-send.js';
import { DEFAULT_TRACING_OPTIONS } from './tracing-options.js';

const tracing = installInMemoryTracing();
const tracer = trace.getTracer('test');
after(() => tracing.shutdown());

/** The span id a message's traceparent header points at. */
const parentIdIn = (headers: Record<string, unknown> | undefined) => String(headerGetter.get(headers as never, 'traceparent')).split('-')[2];

describe('sendTraced', () => {
  let sender: CapturingSender;
  beforeEach(() => {
    tracing.reset();
    sender = new CapturingSender();
  });

  it('gives every message of a batch its own PRODUCER span and injects that span', async () => {
    const parent = tracer.startSpan('POST /orders');
    await context.with(trace.setSpan(context.active(), parent), () =>
      sendTraced(sender, 'orders.placed', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }], { attributes: { 'order.id': 'o-1' } }),
    );
    parent.end();

    const spans = tracing.named('send orders.placed');
    assert.equal(spans.length, 2);
    const sent = sender.messagesTo('orders.placed');
    for (const [index, span] of spans.entries()) {
      assert.equal(span.kind, SpanKind.PRODUCER);
      assert.equal(span.parentSpanContext?.spanId, parent.spanContext().spanId);
      assert.equal(span.spanContext().traceId, parent.spanContext().traceId);
      assert.equal(span.attributes['messaging.system.name'], 'kafka');
      assert.equal(span.attributes['messaging.batch.message_count'], 2);
      assert.equal(span.attributes['messaging.destination.name'], 'orders.placed');
      assert.equal(span.attributes['messaging.operation.type'], 'send');
      assert.equal(span.attributes['messaging.operation.name'], 'send');
      assert.equal(span.attributes['order.id'], 'o-1');
      assert.equal(span.attributes['kafka.message.key'], sent[index]?.key);
      assert.equal(parentIdIn(sent[index]?.headers), span.spanContext().spanId);
    }
  });

  it('records partition and offset when a single message was sent', async () => {
    await sendTraced(sender, 't', [{ value: 'x' }]);
    const [span] = tracing.named('send t');
    assert.equal(span?.attributes['messaging.destination.partition.id'], '0');
    assert.equal(span?.attributes['kafka.offset'], 0);
    assert.equal(span?.attributes['messaging.batch.message_count'], undefined, 'a single send is no batch');
  });

  it('drops propagation headers the caller copied in: the propagator alone writes them', async () => {
    const stale = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', TraceState: 'stale=1', 'x-tenant': 'acme' };
    await sendTraced(sender, 't', [{ value: 'x', headers: stale }]);
    const [sent] = sender.messagesTo('t');
    const [span] = tracing.named('send t');
    assert.equal(parentIdIn(sent?.headers), span?.spanContext().spanId);
    assert.equal(headerGetter.get(sent!.headers!, 'tracestate'), undefined);
    assert.equal(sent?.headers?.['x-tenant'], 'acme');
  });

  it('leaves the caller message and headers untouched', async () => {
    const headers = { 'x-tenant': 'acme' };
    const message = { value: 'x', headers };
    await sendTraced(sender, 't', [message]);
    assert.deepEqual(message, { value: 'x', headers: { 'x-tenant': 'acme' } });
    assert.equal(sender.messagesTo('t')[0]?.headers?.['x-tenant'], 'acme');
  });

  it('fan-out in link mode starts a new trace linked to the active span', async () => {
    const processing = tracer.startSpan('process orders.placed');
    await context.with(trace.setSpan(context.active(), processing), () => sendTraced(sender, 'inventory.reserve', [{ value: 'x' }], { relation: 'fanout' }));
    processing.end();
    const [branch] = tracing.named('send inventory.reserve');
    assert.ok(branch);
    assert.notEqual(branch.spanContext().traceId, processing.spanContext().traceId);
    assert.equal(branch.parentSpanContext, undefined);
    assert.deepEqual(branch.links.map((link) => link.context.spanId), [processing.spanContext().spanId]);
  });

  it('fan-out in child mode keeps the branch in the same trace', async () => {
    const processing = tracer.startSpan('process orders.placed');
    await context.with(trace.setSpan(context.active(), processing), () =>
      sendTraced(sender, 'inventory.reserve', [{ value: 'x' }], { relation: 'fanout', tracing: { ...DEFAULT_TRACING_OPTIONS, fanout: 'child' } }),
    );
    processing.end();
    const [branch] = tracing.named('send inventory.reserve');
    assert.equal(branch?.parentSpanContext?.spanId, processing.spanContext().spanId);
    assert.deepEqual(branch?.links, []);
  });

  it('marks every span failed and rethrows when the broker refuses', async () => {
    sender.failWith = new RangeError('broker said no');
    await assert.rejects(sendTraced(sender, 't', [{ value: 'a' }, { value: 'b' }]), /broker said no/);
    const spans = tracing.named('send t');
    assert.equal(spans.length, 2);
    for (const span of spans) {
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.equal(span.attributes['error.type'], 'RangeError');
      assert.equal(span.events[0]?.name, 'exception');
    }
  });

  it('naive mode sends without trace context', async () => {
    await sendTraced(sender, 't', [{ value: 'x' }], { tracing: { ...DEFAULT_TRACING_OPTIONS, propagation: 'naive' } });
    assert.equal(sender.messagesTo('t')[0]?.headers?.['traceparent'], undefined);
    assert.equal(tracing.named('send t').length, 1);
  });
});
