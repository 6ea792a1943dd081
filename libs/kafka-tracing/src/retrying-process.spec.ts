import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { DEAD_LETTER_HEADERS, MAX_DEAD_LETTER_ERROR_LENGTH } from './dead-letter.js';
import { headerGetter } from './header-carrier.js';
import { PoisonMessageError, validateRetryPolicy } from './retry-policy.js';
import { DeadLetterPublishError, processWithRetries } from './retrying-process.js';
import { asConsumed, CapturingSender } from './testing/fake-kafka.js';
import { installInMemoryTracing } from './testing/in-memory-tracing.js';
import { processTraced } from './traced-process.js';
import { sendTraced } from './traced-send.js';

const tracing = installInMemoryTracing();
after(() => tracing.shutdown());

const RETRY = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 3 };

describe('processWithRetries', () => {
  let broker: CapturingSender;
  let waits: number[];
  const options = () => ({ deadLetter: { sender: broker }, retry: RETRY, consumerGroup: 'payments', sleep: async (ms: number) => void waits.push(ms) });

  /** A payments.charge record sent from its own trace, as the consumer receives it. */
  async function chargeRecord() {
    await context.with(ROOT_CONTEXT, () => sendTraced(broker, 'payments.charge', [{ key: 'o-1', value: '{"amount":10}', headers: { 'x-tenant': 'acme' } }]));
    return asConsumed('payments.charge', broker.messagesTo('payments.charge')[0]!, 41, 2);
  }

  beforeEach(() => {
    tracing.reset();
    broker = new CapturingSender();
    waits = [];
  });

  it('retries with backoff, then dead-letters in the same trace with the origin headers', async () => {
    const record = await chargeRecord();
    const producer = tracing.named('send payments.charge')[0]!;
    const outcome = await processWithRetries(
      record,
      () => {
        throw new RangeError('card processor timeout');
      },
      options(),
    );

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
    assert.equal(dlqSpan?.kind, SpanKind.PRODUCER);
    assert.equal(dlqSpan?.spanContext().traceId, producer.spanContext().traceId);
    assert.equal(dlqSpan?.parentSpanContext?.spanId, attempts[2]?.spanContext().spanId);

    const [dead] = broker.messagesTo('payments.charge.dlq');
    assert.ok(dead?.headers);
    const header = (name: string) => headerGetter.get(dead.headers!, name);
    assert.equal(String(header('traceparent')).split('-')[2], dlqSpan?.spanContext().spanId);
    assert.equal(String(header(DEAD_LETTER_HEADERS.originalTraceparent)).split('-')[2], producer.spanContext().spanId);
    assert.equal(header('x-tenant'), 'acme');
    assert.equal(header(DEAD_LETTER_HEADERS.topic), 'payments.charge');
    assert.equal(header(DEAD_LETTER_HEADERS.partition), '2');
    assert.equal(header(DEAD_LETTER_HEADERS.offset), '41');
    assert.equal(header(DEAD_LETTER_HEADERS.consumerGroup), 'payments');
    assert.equal(header(DEAD_LETTER_HEADERS.attempts), '3');
    assert.equal(header(DEAD_LETTER_HEADERS.errorType), 'RangeError');
    assert.equal(header(DEAD_LETTER_HEADERS.errorMessage), 'card processor timeout');
    assert.equal(dead.key, 'o-1');
    assert.equal(dead.value, '{"amount":10}');

    // The dead-letter consumer lands in the failed message's trace.
    await processTraced(asConsumed('payments.charge.dlq', dead), () => undefined);
    const [dlqConsumer] = tracing.named('process payments.charge.dlq');
    assert.equal(dlqConsumer?.spanContext().traceId, producer.spanContext().traceId);
    assert.equal(dlqConsumer?.parentSpanContext?.spanId, dlqSpan?.spanContext().spanId);
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
    assert.deepEqual(
      tracing.named('process payments.charge').map((span) => span.status.code),
      [SpanStatusCode.ERROR, SpanStatusCode.UNSET],
    );
    assert.equal(broker.messagesTo('payments.charge.dlq').length, 0);
  });

  it('a poison message goes to the dead-letter topic at once', async () => {
    const record = await chargeRecord();
    const outcome = await processWithRetries(
      record,
      () => {
        throw new PoisonMessageError('not JSON');
      },
      options(),
    );
    assert.equal(outcome.attempts, 1);
    assert.deepEqual(waits, []);
    assert.equal(headerGetter.get(broker.messagesTo('payments.charge.dlq')[0]!.headers!, DEAD_LETTER_HEADERS.errorType), 'PoisonMessageError');
  });

  it('bounds the error message copied into the dead-letter record', async () => {
    const record = await chargeRecord();
    await processWithRetries(
      record,
      () => {
        throw new PoisonMessageError('x'.repeat(10_000));
      },
      options(),
    );
    const message = headerGetter.get(broker.messagesTo('payments.charge.dlq')[0]!.headers!, DEAD_LETTER_HEADERS.errorMessage);
    assert.equal(message?.length, MAX_DEAD_LETTER_ERROR_LENGTH);
  });

  it('rejects, so the offset is not committed, when the dead-letter topic refuses the record', async () => {
    const record = await chargeRecord();
    broker.failWith = new Error('dlq topic unavailable');
    await assert.rejects(
      processWithRetries(
        record,
        () => {
          throw new PoisonMessageError('bad');
        },
        options(),
      ),
      (error: unknown) => {
        assert.ok(error instanceof DeadLetterPublishError);
        assert.match(error.message, /could not dead-letter payments.charge\[2\]@41 to payments.charge.dlq/);
        assert.equal((error.cause as Error).message, 'dlq topic unavailable');
        assert.ok(error.handlerError instanceof PoisonMessageError);
        return true;
      },
    );
    const [attempt] = tracing.named('process payments.charge');
    assert.equal(attempt?.attributes['error.type'], 'DeadLetterPublishError');
    assert.deepEqual(attempt?.events.map((event) => event.attributes?.['exception.type']), ['PoisonMessageError', 'DeadLetterPublishError']);
  });

  it('refuses a policy that could never run or never end', () => {
    assert.throws(() => validateRetryPolicy({ ...RETRY, maxAttempts: 0 }), /maxAttempts/);
    assert.throws(() => validateRetryPolicy({ ...RETRY, maxAttempts: Number.POSITIVE_INFINITY }), /maxAttempts/);
    assert.throws(() => validateRetryPolicy({ ...RETRY, multiplier: 0.5 }), /multiplier/);
  });
});
