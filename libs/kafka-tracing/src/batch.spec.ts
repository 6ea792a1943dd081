import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { processBatch, type BatchControl, type BatchOptions } from './batch.js';
import { ConsumerHealth } from './consumer-health.js';
import { PoisonMessageError } from './poison-message.js';
import type { IncomingRecord } from './record.js';
import { RETRY_HEADERS } from './retry-topic.js';
import { asConsumed, CapturingSender } from './testing/fake-kafka.js';
import { installInMemoryTracing } from './testing/in-memory-tracing.js';
import { sendTraced } from './traced-send.js';

const tracing = installInMemoryTracing();
after(() => tracing.shutdown());
const activeTraceId = () => trace.getSpanContext(context.active())?.traceId;

/** A BatchControl that records what the batch did with it. */
class FakeControl implements BatchControl {
  readonly resolved: string[] = [];
  running = true;
  stale = false;
  pauses = 0;
  resumes = 0;
  isRunning = () => this.running;
  isStale = () => this.stale;
  resolveOffset = (offset: string) => void this.resolved.push(offset);
  heartbeat = async () => undefined;
  pause = () => {
    this.pauses++;
    return () => void this.resumes++;
  };
}

const recordAt = (offset: number, headers = {}): IncomingRecord => ({ topic: 'orders.placed', partition: 0, offset: String(offset), key: null, value: 'v', headers });

describe('processBatch', () => {
  let broker: CapturingSender;
  let health: ConsumerHealth;
  let control: FakeControl;
  const options = (overrides: Partial<BatchOptions> = {}): BatchOptions => ({
    sender: broker,
    health,
    retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1, multiplier: 1 },
    clock: { sleep: async () => undefined },
    ...overrides,
  });

  beforeEach(() => {
    tracing.reset();
    broker = new CapturingSender();
    health = new ConsumerHealth();
    control = new FakeControl();
  });
  after(() => health.close());

  it('500 records from 500 traces in one batch: each process span under its own producer', async () => {
    for (let index = 0; index < 500; index++) {
      await context.with(ROOT_CONTEXT, () => sendTraced(broker, 'orders.placed', [{ key: String(index), value: 'v' }]));
    }
    const producers = tracing.named('send orders.placed');
    const records = broker.messagesTo('orders.placed').map((message, offset) => asConsumed('orders.placed', message, offset));
    const seenTraceIds: Array<string | undefined> = [];
    const batchSpan = trace.getTracer('test').startSpan('receive orders.placed');
    await context.with(trace.setSpan(ROOT_CONTEXT, batchSpan), () => processBatch(records, () => void seenTraceIds.push(activeTraceId()), control, options()));
    batchSpan.end();

    const consumers = tracing.named('process orders.placed');
    assert.equal(consumers.length, 500);
    assert.equal(new Set(consumers.map((span) => span.spanContext().traceId)).size, 500);
    for (const [index, consumer] of consumers.entries()) {
      assert.equal(consumer.parentSpanContext?.spanId, producers[index]!.spanContext().spanId);
      assert.equal(seenTraceIds[index], producers[index]!.spanContext().traceId);
    }
    assert.equal(control.resolved.length, 500);
  });

  it('a failing record is retried, dead-lettered once, and the batch goes on', async () => {
    let calls = 0;
    const result = await processBatch(
      [recordAt(5), recordAt(6), recordAt(7)],
      (record) => {
        if (record.offset === '6') {
          calls++;
          throw new PoisonMessageError('not JSON');
        }
      },
      control,
      options(),
    );
    assert.deepEqual(result, { done: 3 });
    assert.deepEqual(control.resolved, ['5', '6', '7']);
    assert.equal(calls, 1);
    assert.equal(broker.messagesTo('orders.placed.dlq').length, 1);
  });

  it('stops before the next record once the consumer stops or the batch goes stale', async () => {
    const seen: string[] = [];
    const stopAt = (offset: string, flag: 'running' | 'stale') => (record: IncomingRecord) => {
      seen.push(record.offset);
      if (record.offset === offset) control[flag] = flag === 'stale';
    };
    assert.deepEqual(await processBatch([recordAt(1), recordAt(2), recordAt(3)], stopAt('2', 'running'), control, options()), { done: 2, stoppedBy: 'not-running' });
    assert.deepEqual(control.resolved, ['1', '2']);
    control = new FakeControl();
    assert.deepEqual(await processBatch([recordAt(1), recordAt(2), recordAt(3)], stopAt('1', 'stale'), control, options()), { done: 1, stoppedBy: 'stale' });
    assert.deepEqual(seen, ['1', '2', '1']);
  });

  it('a retry record that is not due pauses its partition until it is, and is not resolved', async () => {
    const now = 1_000_000;
    const retry = {
      ...recordAt(9, {
        [RETRY_HEADERS.attempt]: '2',
        [RETRY_HEADERS.dueAt]: String(now + 60_000),
        [RETRY_HEADERS.topic]: 'orders',
        [RETRY_HEADERS.partition]: '0',
        [RETRY_HEADERS.offset]: '3',
      }),
      topic: 'orders.retry',
    };
    let calls = 0;
    const result = await processBatch([retry], () => void calls++, control, options({ retry: { mode: 'retry-topic', maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 1, multiplier: 1 }, clock: { now: () => now } }));
    assert.deepEqual(result, { done: 0, stoppedBy: 'retry-not-due' });
    assert.equal(calls, 0);
    assert.deepEqual(control.resolved, []);
    assert.equal(control.pauses, 1);
    assert.deepEqual(health.pausedPartitions().map(({ topic, reason, offset, resumeAt }) => ({ topic, reason, offset, resumeAt })), [
      { topic: 'orders.retry', reason: 'retry-not-due', offset: '9', resumeAt: now + 60_000 },
    ]);
    assert.equal(health.degraded(), false, 'waiting for a retry is normal');
    health.close();
  });

  it('after a rebalance, held records and pauses of partitions owned by another member are forgotten', async () => {
    broker.failWith = new Error('broker down');
    await processBatch([recordAt(4)], () => {
      throw new PoisonMessageError('bad');
    }, control, options());
    assert.equal(health.degraded(), true);
    health.keepOnly({ 'orders.placed': [0] });
    assert.equal(health.degraded(), true, 'still ours: still degraded');
    health.keepOnly({ 'orders.placed': [1, 2] });
    assert.equal(health.degraded(), false);
    assert.deepEqual(health.pausedPartitions(), []);
    assert.equal(control.resumes, 1, 'the pause is lifted, so the partition is fetched if it comes back');
    health.close();
  });

  it('a failed hand-off holds the record and pauses; on redelivery only the hand-off is sent again', async () => {
    broker.failWith = new Error('broker down');
    let calls = 0;
    const handler = () => {
      calls++;
      throw new PoisonMessageError('bad');
    };
    const first = await processBatch([recordAt(4), recordAt(5)], handler, control, options());
    assert.deepEqual(first, { done: 0, stoppedBy: 'handoff-failed' });
    assert.deepEqual(control.resolved, []);
    assert.equal(health.degraded(), true);
    assert.equal(health.pausedPartitions()[0]?.reason, 'handoff-failed');

    broker.failWith = undefined;
    const again = await processBatch([recordAt(4), recordAt(5)], handler, control, options());
    assert.deepEqual(again, { done: 2 });
    assert.equal(calls, 2, 'the held record is not handled again; the next one is');
    assert.deepEqual(control.resolved, ['4', '5']);
    assert.equal(broker.messagesTo('orders.placed.dlq').length, 2);
    assert.equal(health.degraded(), false);
    health.close();
  });
});
