import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { DEAD_LETTER_HEADERS } from './dead-letter.js';
import { headerGetter } from './header-carrier.js';
import { isPoisonMessage, PoisonMessageError } from './poison-message.js';
import type { IncomingRecord } from './record.js';
import { MAX_ERROR_MESSAGE_LENGTH } from './record-origin.js';
import { processWithRetries, type RetryOptions } from './retries.js';
import { assertFitsRebalanceTimeout, retryDelayMs, RetryPolicyError, validateRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { RETRY_HEADERS } from './retry-topic.js';
import { asConsumed, CapturingSender } from './testing/fake-kafka.js';
import { installInMemoryTracing } from './testing/in-memory-tracing.js';
import { processTraced } from './traced-process.js';
import { sendTraced } from './traced-send.js';

const tracing = installInMemoryTracing();
after(() => tracing.shutdown());

const BLOCKING: RetryPolicy = { mode: 'blocking', maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 3, jitter: 0 };
const RETRY_TOPIC: RetryPolicy = { ...BLOCKING, mode: 'retry-topic' };
const NOW = 1_700_000_000_000;
const fail = (error: unknown) => () => {
  throw error;
};

describe('processWithRetries', () => {
  let broker: CapturingSender;
  let waits: number[];
  let heartbeats: number;
  const options = (overrides: Partial<RetryOptions> = {}): RetryOptions => ({
    sender: broker,
    retry: BLOCKING,
    consumerGroup: 'payments',
    attributes: { 'order.id': 'o-1' },
    heartbeat: async () => void heartbeats++,
    clock: { now: () => NOW, sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    ...overrides,
  });

  /** A payments.charge record sent from its own trace (with a tracestate), as the consumer receives it. */
  async function chargeRecord(): Promise<IncomingRecord> {
    await context.with(ROOT_CONTEXT, () => sendTraced(broker, 'payments.charge', [{ key: 'o-1', value: '{"amount":10}', headers: { 'x-tenant': 'acme' } }]));
    const sent = broker.messagesTo('payments.charge')[0]!;
    return { ...asConsumed('payments.charge', { ...sent, headers: { ...sent.headers, tracestate: 'vendor=stale' } }, 41, 2), timestamp: '1699999999000' };
  }
  const header = (message: { headers?: Record<string, unknown> } | undefined, name: string) => headerGetter.get(message?.headers as never, name);

  beforeEach(() => {
    tracing.reset();
    broker = new CapturingSender();
    waits = [];
    heartbeats = 0;
  });

  it('blocking: retries with backoff, then dead-letters in the same trace with origin headers and the caller attributes', async () => {
    const record = await chargeRecord();
    const producer = tracing.named('send payments.charge')[0]!;
    const outcome = await processWithRetries(record, fail(new RangeError('card processor timeout')), options());

    assert.equal(outcome.status, 'dead-lettered');
    assert.equal(outcome.attempts, 3);
    assert.deepEqual(waits, [100, 300]);

    const attempts = tracing.named('process payments.charge');
    assert.deepEqual(attempts.map((span) => span.attributes['mqtrace.delivery.attempt']), [1, 2, 3]);
    for (const attempt of attempts) {
      assert.equal(attempt.status.code, SpanStatusCode.ERROR);
      assert.equal(attempt.attributes['error.type'], 'RangeError');
      assert.equal(attempt.parentSpanContext?.spanId, producer.spanContext().spanId);
    }
    assert.equal(attempts[2]?.attributes['mqtrace.dead_lettered'], true);

    const [dlqSpan] = tracing.named('send payments.charge.dlq');
    assert.ok(dlqSpan);
    assert.equal(dlqSpan.kind, SpanKind.PRODUCER);
    assert.equal(dlqSpan.spanContext().traceId, producer.spanContext().traceId);
    assert.equal(dlqSpan.parentSpanContext?.spanId, attempts[2]?.spanContext().spanId);
    assert.equal(dlqSpan.attributes['order.id'], 'o-1', 'the dead-letter PRODUCER span keeps the caller attributes');

    const [dead] = broker.messagesTo('payments.charge.dlq');
    assert.equal(String(header(dead, 'traceparent')).split('-')[2], dlqSpan.spanContext().spanId);
    assert.equal(header(dead, 'tracestate'), dlqSpan.spanContext().traceState?.serialize(), 'tracestate is the propagator\'s, from the active context');
    assert.equal(String(header(dead, DEAD_LETTER_HEADERS.originalTraceparent)).split('-')[2], producer.spanContext().spanId);
    assert.equal(header(dead, 'x-tenant'), 'acme');
    assert.deepEqual(
      Object.fromEntries(['topic', 'partition', 'offset', 'timestamp', 'consumerGroup', 'attempts', 'errorType', 'errorMessage'].map((name) => [name, header(dead, DEAD_LETTER_HEADERS[name as keyof typeof DEAD_LETTER_HEADERS])])),
      { topic: 'payments.charge', partition: '2', offset: '41', timestamp: '1699999999000', consumerGroup: 'payments', attempts: '3', errorType: 'RangeError', errorMessage: 'card processor timeout' },
    );
    assert.equal(dead?.key, 'o-1');
    assert.equal(dead?.value, '{"amount":10}');

    await processTraced(asConsumed('payments.charge.dlq', dead!), () => undefined);
    const [dlqConsumer] = tracing.named('process payments.charge.dlq');
    assert.equal(dlqConsumer?.parentSpanContext?.spanId, dlqSpan.spanContext().spanId);
  });

  it('blocking: heartbeats at least every heartbeat interval while it waits', async () => {
    const record = await chargeRecord();
    const slices: number[] = [];
    let beatsDuringWait = 0;
    await processWithRetries(
      record,
      fail(new Error('transient')),
      options({
        retry: { ...BLOCKING, maxAttempts: 2, initialDelayMs: 1_000 },
        heartbeatIntervalMs: 300,
        clock: { now: () => NOW, random: () => 0, sleep: async (ms) => void slices.push(ms) },
        heartbeat: async () => void beatsDuringWait++,
      }),
    );
    assert.deepEqual(slices, [300, 300, 300, 100]);
    assert.equal(beatsDuringWait, 5, 'one before the wait and one after each slice');
  });

  it('blocking: gives up waiting when the consumer stops, so the record is delivered again', async () => {
    const record = await chargeRecord();
    let active = true;
    const outcome = await processWithRetries(
      record,
      () => {
        active = false;
        throw new Error('transient');
      },
      options({ isActive: () => active }),
    );
    assert.equal(outcome.status, 'interrupted');
    assert.equal(broker.messagesTo('payments.charge.dlq').length, 0);
  });

  it('a record that succeeds on a retry is processed, not dead-lettered', async () => {
    const record = await chargeRecord();
    let calls = 0;
    const outcome = await processWithRetries(
      record,
      () => {
        if (++calls < 2) throw new Error('transient');
      },
      options(),
    );
    assert.deepEqual(outcome, { status: 'processed', attempts: 2 });
    assert.deepEqual(tracing.named('process payments.charge').map((span) => span.status.code), [SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    assert.equal(broker.messagesTo('payments.charge.dlq').length, 0);
  });

  it('a poison message goes to the dead-letter topic at once, recognised by brand, name or cause', async () => {
    for (const poison of [new PoisonMessageError('not JSON'), { name: 'PoisonMessageError', message: 'plain object' }, new Error('wrapped', { cause: new PoisonMessageError('x') })]) {
      assert.equal(isPoisonMessage(poison), true);
      broker = new CapturingSender();
      waits = [];
      const outcome = await processWithRetries(await chargeRecord(), fail(poison), options());
      assert.equal(outcome.attempts, 1);
      assert.deepEqual(waits, []);
      assert.equal(broker.messagesTo('payments.charge.dlq').length, 1);
    }
    assert.equal(isPoisonMessage(new Error('PoisonMessageError')), false);
    assert.equal(isPoisonMessage('PoisonMessageError'), false);
  });

  it('never copies a tracestate header that is not part of the record\'s trace context', async () => {
    const orphan: IncomingRecord = { topic: 'payments.charge', partition: 0, offset: '1', key: null, value: 'x', headers: { tracestate: 'vendor=stale', traceparent: 'garbage' } };
    await processWithRetries(orphan, fail(new PoisonMessageError('bad')), options());
    const [dead] = broker.messagesTo('payments.charge.dlq');
    assert.equal(header(dead, 'tracestate'), undefined);
    assert.notEqual(header(dead, 'traceparent'), 'garbage');
  });

  it('bounds the error message copied into the dead-letter record', async () => {
    await processWithRetries(await chargeRecord(), fail(new PoisonMessageError('x'.repeat(10_000))), options());
    assert.equal(header(broker.messagesTo('payments.charge.dlq')[0], DEAD_LETTER_HEADERS.errorMessage)?.length, MAX_ERROR_MESSAGE_LENGTH);
  });

  it('a failed dead-letter send is retried as a send only, then the record is held, never handled again', async () => {
    const record = await chargeRecord();
    broker.failWith = new Error('dlq topic unavailable');
    let handled = 0;
    const outcome = await processWithRetries(
      record,
      () => {
        handled++;
        throw new PoisonMessageError('bad');
      },
      options(),
    );
    assert.equal(outcome.status, 'held');
    assert.equal(handled, 1);
    assert.equal(tracing.named('send payments.charge.dlq').length, 3, 'three tries of the send, each its own PRODUCER span');
    assert.equal(waits.length, 2, 'a backoff between the tries');
    assert.equal(tracing.named('process payments.charge')[0]?.attributes['mqtrace.dead_lettered'], undefined);
    if (outcome.status !== 'held') return;
    assert.equal(outcome.handoff.kind, 'dead-letter');
    assert.equal(outcome.handoff.topic, 'payments.charge.dlq');
  });

  describe('retry-topic mode', () => {
    it('re-publishes to the retry topic from the failed attempt, and the next attempt continues the count and the trace', async () => {
      const record = await chargeRecord();
      const producer = tracing.named('send payments.charge')[0]!;
      const first = await processWithRetries(record, fail(new Error('gateway timeout')), options({ retry: RETRY_TOPIC }));
      assert.deepEqual(first, { status: 'retry-scheduled', attempts: 1, error: (first as { error: unknown }).error, dueAt: NOW + 100 });
      assert.deepEqual(waits, [], 'the consumer does not wait');

      const [retry] = broker.messagesTo('payments.charge.retry');
      assert.equal(header(retry, RETRY_HEADERS.attempt), '2');
      assert.equal(header(retry, RETRY_HEADERS.dueAt), String(NOW + 100));
      assert.equal(header(retry, RETRY_HEADERS.topic), 'payments.charge');
      assert.equal(header(retry, RETRY_HEADERS.offset), '41');
      const [attempt1] = tracing.named('process payments.charge');
      const [hop1] = tracing.named('send payments.charge.retry');
      assert.equal(hop1?.parentSpanContext?.spanId, attempt1?.spanContext().spanId);
      assert.equal(hop1?.attributes['order.id'], 'o-1');
      assert.equal(attempt1?.attributes['mqtrace.retry_scheduled'], true);

      const second = await processWithRetries(asConsumed('payments.charge.retry', retry!, 7, 0), fail(new Error('gateway timeout')), options({ retry: RETRY_TOPIC }));
      assert.equal(second.status, 'retry-scheduled');
      const retry2 = broker.messagesTo('payments.charge.retry')[1];
      assert.equal(header(retry2, RETRY_HEADERS.attempt), '3');
      assert.equal(header(retry2, RETRY_HEADERS.dueAt), String(NOW + 300));
      assert.equal(header(retry2, RETRY_HEADERS.offset), '41', 'the origin is the first delivery');

      let seen: { attempt: number; topic: string } | undefined;
      const third = await processWithRetries(
        asConsumed('payments.charge.retry', retry2!, 8, 0),
        (_span, delivery) => {
          seen = delivery;
          throw new Error('gateway timeout');
        },
        options({ retry: RETRY_TOPIC }),
      );
      assert.equal(third.status, 'dead-lettered');
      assert.deepEqual(seen, { attempt: 3, topic: 'payments.charge' });

      const spans = tracing.spans();
      assert.equal(new Set(spans.map((span) => span.spanContext().traceId)).size, 1, 'attempts, retry hops and dead letter: one trace');
      const attempts = tracing.named('process payments.charge.retry');
      assert.deepEqual(attempts.map((span) => span.attributes['mqtrace.delivery.attempt']), [2, 3]);
      assert.equal(attempts[0]?.parentSpanContext?.spanId, hop1?.spanContext().spanId, 'attempt 2 is the child of the retry hop: the backoff is the queue gap');
      const [dead] = broker.messagesTo('payments.charge.dlq');
      assert.equal(header(dead, DEAD_LETTER_HEADERS.topic), 'payments.charge');
      assert.equal(header(dead, DEAD_LETTER_HEADERS.offset), '41');
      assert.equal(header(dead, DEAD_LETTER_HEADERS.attempts), '3');
      assert.equal(header(dead, RETRY_HEADERS.attempt), undefined, 'retry bookkeeping stays behind');
      assert.equal(producer.spanContext().traceId, spans[0]?.spanContext().traceId);
    });

    it('believes retry headers only on the retry topic of the topic they name', async () => {
      const record = await chargeRecord();
      const forged = { ...record, headers: { ...record.headers, [RETRY_HEADERS.attempt]: '99', [RETRY_HEADERS.topic]: 'payments.charge', [RETRY_HEADERS.dueAt]: '0', [RETRY_HEADERS.partition]: '0', [RETRY_HEADERS.offset]: '1' } };
      const outcome = await processWithRetries(forged, fail(new Error('x')), options({ retry: RETRY_TOPIC }));
      assert.equal(outcome.status, 'retry-scheduled');
      assert.equal(outcome.attempts, 1);
    });
  });
});

describe('retry policy', () => {
  it('refuses a policy that could never run or never end', () => {
    assert.throws(() => validateRetryPolicy({ ...BLOCKING, maxAttempts: 0 }), RetryPolicyError);
    assert.throws(() => validateRetryPolicy({ ...BLOCKING, maxAttempts: Number.POSITIVE_INFINITY }), /maxAttempts/);
    assert.throws(() => validateRetryPolicy({ ...BLOCKING, multiplier: 0.5 }), /multiplier/);
    assert.throws(() => validateRetryPolicy({ ...BLOCKING, maxDelayMs: Number.POSITIVE_INFINITY }), /finite/);
    assert.throws(() => validateRetryPolicy({ ...BLOCKING, jitter: 2 }), /jitter/);
  });

  it('jitter only shortens a wait, so maxDelayMs stays a true bound', () => {
    const policy = { ...BLOCKING, jitter: 0.5 };
    assert.equal(retryDelayMs(policy, 2, () => 0), 300);
    assert.equal(retryDelayMs(policy, 2, () => 0.999), 150);
    assert.equal(retryDelayMs(policy, 5, () => 0), 1_000);
  });

  it('refuses at construction a blocking policy whose waits could outlast the rebalance timeout', () => {
    const long: RetryPolicy = { mode: 'blocking', maxAttempts: 5, initialDelayMs: 10_000, maxDelayMs: 30_000, multiplier: 2 };
    assert.throws(() => assertFitsRebalanceTimeout(long, 60_000), /could wait 90000 ms .* rebalance timeout of 60000 ms.*retry-topic/);
    assertFitsRebalanceTimeout(long, 120_000);
    assertFitsRebalanceTimeout({ ...long, mode: 'retry-topic' }, 60_000);
  });
});

// Keeps the propagator import honest: the tests above rely on the W3C propagators.
assert.deepEqual(propagation.fields().sort(), ['baggage', 'traceparent', 'tracestate']);

describe('errors that are not Error instances', () => {
  it('a framework error object keeps its name and message on the span, never [object Object]', async () => {
    tracing.reset();
    const broker = new CapturingSender();
    const record: IncomingRecord = { topic: 't', partition: 0, offset: '0', key: null, value: 'x', headers: {} };
    await processWithRetries(record, fail({ status: 'error', message: 'Internal server error' }), { sender: broker, retry: { ...BLOCKING, maxAttempts: 1 } });
    const [span] = tracing.named('process t');
    assert.equal(span?.status.message, 'Internal server error');
    assert.equal(span?.attributes['error.type'], '_OTHER');
    assert.equal(header(broker.messagesTo('t.dlq')[0], DEAD_LETTER_HEADERS.errorMessage), 'Internal server error');
    await processWithRetries(record, fail({ name: 'PaymentDeclined', message: 'declined' }), { sender: broker, retry: { ...BLOCKING, maxAttempts: 1 } });
    assert.equal(tracing.named('process t')[1]?.attributes['error.type'], 'PaymentDeclined');
  });
});

function header(message: { headers?: Record<string, unknown> } | undefined, name: string) {
  return headerGetter.get(message?.headers as never, name);
}
