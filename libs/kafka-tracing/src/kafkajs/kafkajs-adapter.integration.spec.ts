import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { Kafka, logLevel, type Admin, type Consumer, type ConsumerConfig, type IHeaders, type Producer } from 'kafkajs';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { ConsumerHealth } from '../consumer-health.js';
import { DEAD_LETTER_HEADERS } from '../dead-letter.js';
import { headerText } from '../header-carrier.js';
import { PoisonMessageError } from '../poison-message.js';
import { retryTopicOf } from '../retry-topic.js';
import { installInMemoryTracing } from '../testing/in-memory-tracing.js';
import { sendTraced } from '../traced-send.js';
import { kafkaJsSender, tracedBatchRun } from './kafkajs-adapter.js';

// The kafkajs adapter on the real broker, without NestJS: one context per record in a
// batch, dead letters exactly once, retry topics that survive a consumer restart,
// blocking waits that keep the group membership, and a refused dead-letter send that
// never re-runs the handler.
const tracing = installInMemoryTracing();
const kafka = new Kafka({ clientId: 'adapter-it', brokers: [...stackEndpoints().kafkaBrokers], logLevel: logLevel.NOTHING });
const suffix = randomBytes(4).toString('hex');
const topic = (name: string) => `it.${name}.${suffix}`;

const waitFor = async (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('kafkajs adapter on the real broker', () => {
  let producer: Producer;
  let admin: Admin;
  const consumers: Consumer[] = [];
  const consumer = (groupId: string, config: Partial<ConsumerConfig> = {}) => {
    const created = kafka.consumer({ groupId: `${groupId}.${suffix}`, ...config });
    consumers.push(created);
    return created;
  };
  const committed = async (groupId: string, name: string) => (await admin.fetchOffsets({ groupId: `${groupId}.${suffix}`, topics: [name] }))[0]?.partitions[0]?.offset;
  /** Collects every record of a topic, from the beginning. */
  const collect = async (name: string) => {
    const seen: IHeaders[] = [];
    const reader = consumer(`reader.${name}`);
    await reader.connect();
    await reader.subscribe({ topic: name, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void seen.push(message.headers ?? {}) });
    return seen;
  };

  before(async () => {
    await assertStackReachable(['kafka']);
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
  });
  after(async () => {
    await Promise.all([producer?.disconnect(), admin?.disconnect(), ...consumers.map((created) => created.disconnect())]);
    await tracing.shutdown();
  });

  it('batch: every record of a batch runs under its own producer span', async () => {
    const name = topic('batch');
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 1 }], waitForLeaders: true });
    const sender = kafkaJsSender(producer);
    const roots = Array.from({ length: 20 }, (_, index) => trace.getTracer('it').startSpan(`order ${index}`, {}, ROOT_CONTEXT));
    await Promise.all(roots.map((root, index) => context.with(trace.setSpan(ROOT_CONTEXT, root), () => sendTraced(sender, name, [{ key: String(index), value: 'v' }]))));
    roots.forEach((root) => root.end());

    const seen = new Map<string, string | undefined>();
    const batchConsumer = consumer('batch');
    await batchConsumer.connect();
    await batchConsumer.subscribe({ topic: name, fromBeginning: true });
    await batchConsumer.run(tracedBatchRun((record) => void seen.set(String(record.key), trace.getActiveSpan()?.spanContext().traceId), { sender, health: new ConsumerHealth(), consumerGroup: 'batch' }));
    await waitFor(() => tracing.named(`process ${name}`).length === 20, '20 process spans');

    const producers = new Map(tracing.named(`send ${name}`).map((span) => [span.attributes['kafka.message.key'], span]));
    for (const consumed of tracing.named(`process ${name}`)) {
      const key = consumed.attributes['kafka.message.key'] as string;
      assert.equal(consumed.parentSpanContext?.spanId, producers.get(key)?.spanContext().spanId, `record ${key}`);
      assert.equal(seen.get(key), roots[Number(key)]?.spanContext().traceId);
    }
  });

  it('batch: a poison record ends in the dead-letter topic exactly once, and the records after it are processed and committed', async () => {
    const name = topic('poison');
    await admin.createTopics({ topics: [name, `${name}.dlq`].map((created) => ({ topic: created, numPartitions: 1 })), waitForLeaders: true });
    const sender = kafkaJsSender(producer);
    await sendTraced(sender, name, [{ key: 'ok-1', value: '{}' }, { key: 'poison', value: 'not json' }, { key: 'ok-2', value: '{}' }]);
    const calls = new Map<string, number>();
    const poison = consumer('poison');
    await poison.connect();
    await poison.subscribe({ topic: name, fromBeginning: true });
    await poison.run(
      tracedBatchRun(
        (record) => {
          const key = String(record.key);
          calls.set(key, (calls.get(key) ?? 0) + 1);
          if (key === 'poison') throw new PoisonMessageError('Unexpected token o in JSON');
        },
        { sender, health: new ConsumerHealth(), consumerGroup: 'poison' },
      ),
    );
    const deadLetters = await collect(`${name}.dlq`);
    await waitFor(async () => (await committed('poison', name)) === '3', 'the offset after the batch to be committed');
    await waitFor(() => deadLetters.length >= 1, 'the dead-letter record');
    assert.deepEqual(Object.fromEntries(calls), { 'ok-1': 1, poison: 1, 'ok-2': 1 });
    assert.equal(deadLetters.length, 1);
    assert.equal(headerText(deadLetters[0]?.[DEAD_LETTER_HEADERS.offset]), '1');
    assert.equal(headerText(deadLetters[0]?.[DEAD_LETTER_HEADERS.errorType]), 'PoisonMessageError');
    const [attempt] = tracing.named(`process ${name}`).filter((span) => span.attributes['kafka.message.key'] === 'poison');
    assert.equal(attempt?.status.code, SpanStatusCode.ERROR);
    assert.equal(tracing.named(`send ${name}.dlq`)[0]?.parentSpanContext?.spanId, attempt?.spanContext().spanId);
  });

  it('retry topic: the attempt count continues after the consumer is stopped mid-retry and a new one takes over', async () => {
    const name = topic('retrying');
    await admin.createTopics({ topics: [name, retryTopicOf(name), `${name}.dlq`].map((created) => ({ topic: created, numPartitions: 1 })), waitForLeaders: true });
    const sender = kafkaJsSender(producer);
    const policy = { mode: 'retry-topic' as const, maxAttempts: 3, initialDelayMs: 1_500, maxDelayMs: 1_500, multiplier: 1, jitter: 0 };
    const attempts: Array<{ consumer: string; attempt: number }> = [];
    const start = async (label: string) => {
      const created = consumer('retrying');
      await created.connect();
      await created.subscribe({ topics: [name, retryTopicOf(name)], fromBeginning: true });
      await created.run(
        tracedBatchRun(
          (_record, delivery) => {
            attempts.push({ consumer: label, attempt: delivery.attempt });
            throw new Error('payment gateway timeout');
          },
          { sender, health: new ConsumerHealth(), consumerGroup: 'retrying', retry: policy },
        ),
      );
      return created;
    };
    await sendTraced(sender, name, [{ key: 'o-9', value: '{}' }]);
    const first = await start('first');
    await waitFor(() => attempts.length === 1, 'the first attempt');
    // Stopped while the record waits on the retry topic: nothing of it is in memory any more.
    await first.disconnect();
    const deadLetters = await collect(`${name}.dlq`);
    await start('second');
    await waitFor(() => deadLetters.length === 1, 'the dead-letter record after the last attempt');

    assert.deepEqual(attempts, [
      { consumer: 'first', attempt: 1 },
      { consumer: 'second', attempt: 2 },
      { consumer: 'second', attempt: 3 },
    ]);
    assert.equal(headerText(deadLetters[0]?.[DEAD_LETTER_HEADERS.attempts]), '3');
    assert.equal(headerText(deadLetters[0]?.[DEAD_LETTER_HEADERS.topic]), name);
    const traceIds = new Set([...tracing.named(`process ${name}`), ...tracing.named(`process ${retryTopicOf(name)}`), ...tracing.named(`send ${name}.dlq`)].map((span) => span.spanContext().traceId));
    assert.equal(traceIds.size, 1, 'every attempt, retry hop and the dead letter are one trace');
    const [hop] = tracing.named(`send ${retryTopicOf(name)}`);
    const [second] = tracing.named(`process ${retryTopicOf(name)}`);
    assert.equal(second?.parentSpanContext?.spanId, hop?.spanContext().spanId);
    const gapMs = (second!.startTime[0] - hop!.endTime[0]) * 1_000 + (second!.startTime[1] - hop!.endTime[1]) / 1e6;
    assert.ok(gapMs >= 1_400, `the backoff shows as the queue gap (${gapMs.toFixed(0)} ms)`);
  });

  it('retry topic: the attempt count and the trace continue after the consumer process is killed (SIGKILL) mid-retry', async () => {
    const name = topic('killed');
    const groupId = `killed.${suffix}`;
    await admin.createTopics({ topics: [name, retryTopicOf(name), `${name}.dlq`].map((created) => ({ topic: created, numPartitions: 1 })), waitForLeaders: true });
    const root = trace.getTracer('it').startSpan('POST /charges', {}, ROOT_CONTEXT);
    await context.with(trace.setSpan(ROOT_CONTEXT, root), () => sendTraced(kafkaJsSender(producer), name, [{ key: 'o-k', value: '{}' }]));
    root.end();

    const first = startConsumerProcess(name, groupId);
    let second: ConsumerProcess | undefined;
    try {
      await waitFor(() => first.attempts.length === 1, 'attempt 1 in the first process');
      // Killed once the hop to the retry topic is committed: the record now lives only there.
      await waitFor(async () => (await admin.fetchOffsets({ groupId, topics: [name] }))[0]?.partitions[0]?.offset === '1', 'the commit of the first delivery');
      first.child.kill('SIGKILL');
      await once(first.child, 'exit');
      const deadLetters = await collect(`${name}.dlq`);
      second = startConsumerProcess(name, groupId);
      await waitFor(() => deadLetters.length === 1, 'the dead letter from the second process', 60_000);

      assert.deepEqual(first.attempts.map(({ attempt }) => attempt), [1]);
      assert.deepEqual(second.attempts.map(({ attempt }) => attempt), [2, 3], 'the new process continues the count');
      for (const { traceId } of [...first.attempts, ...second.attempts]) assert.equal(traceId, root.spanContext().traceId, 'one trace across both processes');
      assert.equal(headerText(deadLetters[0]?.[DEAD_LETTER_HEADERS.attempts]), '3');
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGKILL');
    }
  });

  it('blocking: a backoff longer than the session timeout keeps the partitions (heartbeats while waiting)', async () => {
    const name = topic('slow');
    await admin.createTopics({ topics: [name, `${name}.dlq`].map((created) => ({ topic: created, numPartitions: 1 })), waitForLeaders: true });
    const sender = kafkaJsSender(producer);
    await sendTraced(sender, name, [{ key: 'o-7', value: '{}' }]);
    const group = { sessionTimeout: 6_000, heartbeatInterval: 500, rebalanceTimeout: 30_000 };
    const slow = consumer('slow', group);
    let joins = 0;
    slow.on(slow.events.GROUP_JOIN, () => void joins++);
    await slow.connect();
    await slow.subscribe({ topic: name, fromBeginning: true });
    let calls = 0;
    await slow.run(
      tracedBatchRun(
        () => {
          if (++calls === 1) throw new Error('transient');
        },
        {
          sender,
          health: new ConsumerHealth(),
          retry: { mode: 'blocking', maxAttempts: 2, initialDelayMs: 9_000, maxDelayMs: 9_000, multiplier: 1, jitter: 0 },
          group: { rebalanceTimeoutMs: group.rebalanceTimeout, heartbeatIntervalMs: group.heartbeatInterval },
        },
      ),
    );
    await waitFor(() => calls === 2, 'the second attempt after a 9 s wait', 40_000);
    await waitFor(async () => (await committed('slow', name)) === '1', 'the commit');
    assert.equal(joins, 1, 'the member never had to re-join: no rebalance during the wait');
  });

  it('a refused dead-letter send holds the record and pauses the partition; the handler never runs again', async () => {
    const name = topic('refused');
    // The dead-letter topic refuses records over 64 bytes: a real broker error, fixed later.
    await admin.createTopics({
      topics: [
        { topic: name, numPartitions: 1 },
        { topic: `${name}.dlq`, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '64' }] },
      ],
      waitForLeaders: true,
    });
    const sender = kafkaJsSender(producer);
    await sendTraced(sender, name, [{ key: 'poison', value: 'not json' }, { key: 'next', value: '{}' }]);
    const calls = new Map<string, number>();
    const health = new ConsumerHealth();
    const refused = consumer('refused');
    await refused.connect();
    await refused.subscribe({ topic: name, fromBeginning: true });
    await refused.run(
      tracedBatchRun(
        (record) => {
          const key = String(record.key);
          calls.set(key, (calls.get(key) ?? 0) + 1);
          if (key === 'poison') throw new PoisonMessageError('bad');
        },
        { sender, health, consumerGroup: 'refused' },
      ),
    );
    await waitFor(() => health.degraded(), 'the consumer to report the held record');
    assert.equal(health.pausedPartitions()[0]?.reason, 'handoff-failed');
    assert.equal(calls.get('next'), undefined, 'the partition waits: order is kept');
    assert.notEqual(await committed('refused', name), '1');

    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: `${name}.dlq`, configEntries: [{ name: 'max.message.bytes', value: '1048576' }] }] });
    const deadLetters = await collect(`${name}.dlq`);
    await waitFor(async () => (await committed('refused', name)) === '2', 'both records committed after the recovery');
    await waitFor(() => deadLetters.length === 1, 'the dead-letter record');
    assert.deepEqual(Object.fromEntries(calls), { poison: 1, next: 1 });
    assert.equal(health.degraded(), false);
    health.close();
  });
});

/** A consumer in a process of its own (testing-fixtures/retry-topic-consumer.ts), and the attempts it printed. */
interface ConsumerProcess {
  readonly child: ChildProcess;
  readonly attempts: Array<{ attempt: number; traceId?: string }>;
}

function startConsumerProcess(topicName: string, groupId: string): ConsumerProcess {
  const fixture = fileURLToPath(new URL('../testing-fixtures/retry-topic-consumer.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv.filter((arg) => !arg.startsWith('--test')), fixture], {
    env: { ...process.env, FIXTURE_TOPIC: topicName, FIXTURE_GROUP: groupId },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const attempts: ConsumerProcess['attempts'] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const parsed = JSON.parse(line) as { attempt?: number; traceId?: string };
    if (parsed.attempt !== undefined) attempts.push({ attempt: parsed.attempt, ...(parsed.traceId ? { traceId: parsed.traceId } : {}) });
  });
  return { child, attempts };
}
