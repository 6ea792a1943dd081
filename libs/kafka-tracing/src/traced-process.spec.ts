import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, beforeEach, describe, it } from 'node:test';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { IncomingRecord, MessageHeaders } from './record.js';
import { asConsumed, CapturingSender } from './testing/fake-kafka.js';
import { installInMemoryTracing } from './testing/in-memory-tracing.js';
import { processTraced } from './traced-process.js';
import { sendTraced } from './traced-send.js';
import { DEFAULT_TRACING_OPTIONS, type KafkaTracingOptions } from './tracing-options.js';

const tracing = installInMemoryTracing();
const tracer = trace.getTracer('test');
after(() => tracing.shutdown());

const LINK_MODE: KafkaTracingOptions = { ...DEFAULT_TRACING_OPTIONS, consumerParent: 'link' };
const NAIVE: KafkaTracingOptions = { ...DEFAULT_TRACING_OPTIONS, propagation: 'naive' };

/** Produces one message from its own new trace and returns it as consumed, with its producer span. */
async function producedRecord(topic = 'orders.placed', offset = 0) {
  const sender = new CapturingSender();
  await context.with(ROOT_CONTEXT, () => sendTraced(sender, topic, [{ key: `k${offset}`, value: 'v' }]));
  const producer = tracing.named(`send ${topic}`).at(-1);
  assert.ok(producer);
  return { record: asConsumed(topic, sender.messagesTo(topic)[0]!, offset), producer };
}

const recordWith = (headers: MessageHeaders): IncomingRecord => ({ topic: 't', partition: 1, offset: '5', key: null, value: 'v', headers });
const activeTraceId = () => trace.getSpanContext(context.active())?.traceId;

describe('processTraced', () => {
  beforeEach(() => tracing.reset());

  it('parent mode: the CONSUMER span is the child of the producer span, and is active in the handler', async () => {
    const { record, producer } = await producedRecord();
    let seenInHandler: string | undefined;
    await processTraced(record, () => (seenInHandler = trace.getActiveSpan()?.spanContext().spanId), { consumerGroup: 'fulfillment' });
    const [consumer] = tracing.named('process orders.placed');
    assert.ok(consumer);
    assert.equal(consumer.kind, SpanKind.CONSUMER);
    assert.equal(consumer.spanContext().traceId, producer.spanContext().traceId);
    assert.equal(consumer.parentSpanContext?.spanId, producer.spanContext().spanId);
    assert.equal(seenInHandler, consumer.spanContext().spanId);
    assert.deepEqual(
      {
        system: consumer.attributes['messaging.system.name'],
        destination: consumer.attributes['messaging.destination.name'],
        operation: consumer.attributes['messaging.operation.name'],
        type: consumer.attributes['messaging.operation.type'],
        partition: consumer.attributes['messaging.destination.partition.id'],
        offset: consumer.attributes['kafka.offset'],
        key: consumer.attributes['kafka.message.key'],
        group: consumer.attributes['messaging.consumer.group.name'],
      },
      { system: 'kafka', destination: 'orders.placed', operation: 'process', type: 'process', partition: '0', offset: 0, key: 'k0', group: 'fulfillment' },
    );
  });

  it('parent mode: a surrounding span (the context consumer.run() was called in) is neither parent nor link', async () => {
    const { record, producer } = await producedRecord();
    const poll = tracer.startSpan('poll');
    await context.with(trace.setSpan(ROOT_CONTEXT, poll), () => processTraced(record, () => undefined));
    poll.end();
    const [consumer] = tracing.named('process orders.placed');
    assert.ok(consumer);
    assert.equal(consumer.parentSpanContext?.spanId, producer.spanContext().spanId);
    assert.deepEqual(consumer.links, []);
  });

  it('emits no deprecated attribute name by default, and both names with messaging/dup', async () => {
    const { record } = await producedRecord();
    await processTraced(record, () => undefined);
    await processTraced(record, () => undefined, { tracing: { ...DEFAULT_TRACING_OPTIONS, semconv: 'dup' } });
    const [current, dup] = tracing.named('process orders.placed');
    assert.ok(current && dup);
    for (const legacy of ['messaging.system', 'messaging.kafka.offset', 'messaging.kafka.message.key']) assert.equal(current.attributes[legacy], undefined, legacy);
    assert.equal(dup.attributes['messaging.system'], 'kafka');
    assert.equal(dup.attributes['messaging.system.name'], 'kafka');
    assert.equal(dup.attributes['messaging.kafka.offset'], 0);
    assert.equal(dup.attributes['kafka.offset'], 0);
    assert.equal(dup.attributes['messaging.kafka.message.key'], 'k0');
  });

  it('a record without trace context never inherits the surrounding span as its parent', async () => {
    const poll = tracer.startSpan('poll');
    await context.with(trace.setSpan(ROOT_CONTEXT, poll), () => processTraced(recordWith({}), () => undefined));
    poll.end();
    const [consumer] = tracing.named('process t');
    assert.ok(consumer);
    assert.equal(consumer.parentSpanContext, undefined);
    assert.notEqual(consumer.spanContext().traceId, poll.spanContext().traceId);
    assert.deepEqual(consumer.links, []);
  });

  it('link mode: a new trace that links to the producer span and keeps the baggage', async () => {
    const sender = new CapturingSender();
    const withBaggage = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ tenant: { value: 'acme' } }));
    await context.with(withBaggage, () => sendTraced(sender, 't', [{ value: 'v' }]));
    const producer = tracing.named('send t')[0]!;
    let tenant: string | undefined;
    await processTraced(asConsumed('t', sender.messagesTo('t')[0]!), () => (tenant = propagation.getActiveBaggage()?.getEntry('tenant')?.value), {
      tracing: LINK_MODE,
    });
    const [consumer] = tracing.named('process t');
    assert.notEqual(consumer?.spanContext().traceId, producer.spanContext().traceId);
    assert.equal(consumer?.parentSpanContext, undefined);
    assert.deepEqual(consumer?.links.map((link) => link.context.spanId), [producer.spanContext().spanId]);
    assert.equal(tenant, 'acme');
  });

  it('a handler that throws marks the span, rethrows, and leaves no context behind', async () => {
    const { record } = await producedRecord();
    const before = context.active();
    await assert.rejects(
      processTraced(record, () => {
        throw new TypeError('bad payload');
      }),
      /bad payload/,
    );
    assert.equal(context.active(), before);
    assert.equal(activeTraceId(), undefined);
    const [failed] = tracing.named('process orders.placed');
    assert.equal(failed?.status.code, SpanStatusCode.ERROR);
    assert.equal(failed?.status.message, 'bad payload');
    assert.equal(failed?.attributes['error.type'], 'TypeError');
    assert.equal(failed?.events[0]?.name, 'exception');
    assert.equal(failed?.ended, true);

    // The next message without trace context must not inherit the failed one's trace.
    let nextTrace: string | undefined;
    await processTraced(recordWith({}), () => (nextTrace = activeTraceId()));
    assert.notEqual(nextTrace, failed?.spanContext().traceId);
    assert.equal(tracing.named('process t')[0]?.parentSpanContext, undefined);
  });

  it('concurrent handlers each see their own context across awaits', async () => {
    const records = await Promise.all([producedRecord('a', 1), producedRecord('b', 2), producedRecord('c', 3)]);
    const seen = await Promise.all(
      records.map(({ record }, index) =>
        processTraced(record, async () => {
          const first = activeTraceId();
          await delay(10 * (3 - index));
          await Promise.resolve();
          return [first, activeTraceId()];
        }),
      ),
    );
    for (const [index, { producer }] of records.entries()) {
      assert.deepEqual(seen[index], [producer.spanContext().traceId, producer.spanContext().traceId]);
    }
  });

  const hostile: Array<[string, MessageHeaders]> = [
    ['no headers at all', {}],
    ['a malformed traceparent', { traceparent: '00-xyz-123-01' }],
    ['an all-zero trace id', { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' }],
    ['a tracestate without a traceparent', { tracestate: 'vendor=opaque' }],
    ['an oversized traceparent', { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01${'-x'.repeat(10_000)}` }],
    ['binary garbage', { traceparent: randomBytes(55), tracestate: randomBytes(300) }],
    ['two traceparents', { traceparent: ['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', '00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203331-01'] }],
    ['an undefined value', { traceparent: undefined }],
  ];
  for (const [what, headers] of hostile) {
    it(`${what} gives a new root span, not a crash`, async () => {
      const handled = await processTraced(recordWith(headers), () => 'handled');
      assert.equal(handled, 'handled');
      const spans = tracing.named('process t');
      assert.equal(spans.length, 1, 'exactly one CONSUMER span');
      const [span] = spans;
      assert.ok(span);
      assert.equal(span.parentSpanContext, undefined);
      assert.match(span.spanContext().traceId, /^(?!0{32})[0-9a-f]{32}$/);
      assert.notEqual(span.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
    });
  }

  it('naive mode ignores the headers: every consumer span is an orphan root', async () => {
    const { record, producer } = await producedRecord();
    await processTraced(record, () => undefined, { tracing: NAIVE });
    const consumers = tracing.named('process orders.placed');
    assert.equal(consumers.length, 1, 'exactly one CONSUMER span');
    assert.equal(consumers[0]!.parentSpanContext, undefined);
    assert.deepEqual(consumers[0]!.links, []);
    assert.notEqual(consumers[0]!.spanContext().traceId, producer.spanContext().traceId);
  });
});
