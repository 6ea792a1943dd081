import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { EachMessagePayload, KafkaMessage } from 'kafkajs';
import { ConsumerHealth } from '../consumer-health.js';
import { PoisonMessageError } from '../poison-message.js';
import { RetryPolicyError } from '../retry-policy.js';
import { CapturingSender } from '../testing/fake-kafka.js';
import { installInMemoryTracing } from '../testing/in-memory-tracing.js';
import { RecordNotDoneError, tracedBatchRun, tracedEachMessage } from './kafkajs-adapter.js';

// kafkajs commits a record as soon as eachMessage returns, so a record that is not done
// must make eachMessage reject (after pausing its partition), never return.
const tracing = installInMemoryTracing();
after(() => tracing.shutdown());

const message: KafkaMessage = { key: Buffer.from('o-1'), value: Buffer.from('x'), headers: {}, offset: '7', timestamp: '1700000000000', attributes: 0 };
const payload = (pauses: string[]): EachMessagePayload => ({
  topic: 'payments.charge',
  partition: 0,
  message,
  heartbeat: async () => undefined,
  pause: () => {
    pauses.push('paused');
    return () => void pauses.push('resumed');
  },
});

describe('tracedEachMessage', () => {
  it('rejects, after pausing the partition, when the dead-letter record cannot be produced', async () => {
    const sender = new CapturingSender();
    sender.failWith = new Error('broker down');
    const health = new ConsumerHealth();
    const pauses: string[] = [];
    const each = tracedEachMessage(
      () => {
        throw new PoisonMessageError('bad');
      },
      { sender, health, clock: { sleep: async () => undefined } },
    );
    await assert.rejects(each(payload(pauses)), RecordNotDoneError);
    assert.deepEqual(pauses, ['paused']);
    assert.equal(health.degraded(), true);
    health.close();
  });

  it('resolves (kafkajs commits) once the record is dead-lettered', async () => {
    const sender = new CapturingSender();
    const each = tracedEachMessage(
      () => {
        throw new PoisonMessageError('bad');
      },
      { sender, health: new ConsumerHealth() },
    );
    await each(payload([]));
    assert.equal(sender.messagesTo('payments.charge.dlq').length, 1);
  });

  it('refuses retry-topic mode and too-long blocking waits when it is built', () => {
    const retry = { maxAttempts: 3, initialDelayMs: 40_000, maxDelayMs: 40_000, multiplier: 1 };
    const options = { sender: new CapturingSender(), health: new ConsumerHealth() };
    assert.throws(() => tracedEachMessage(() => undefined, { ...options, retry: { ...retry, mode: 'retry-topic' } }), /needs tracedBatchRun/);
    assert.throws(() => tracedEachMessage(() => undefined, { ...options, retry }), RetryPolicyError);
    assert.throws(() => tracedBatchRun(() => undefined, { ...options, retry }), RetryPolicyError);
    assert.ok(tracedBatchRun(() => undefined, { ...options, retry, group: { rebalanceTimeoutMs: 120_000 } }).eachBatchAutoResolve === false);
  });
});
