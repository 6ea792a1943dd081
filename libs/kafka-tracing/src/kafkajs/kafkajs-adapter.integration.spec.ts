import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { Kafka, logLevel, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { DEAD_LETTER_HEADERS } from '../dead-letter.js';
import { headerText } from '../header-carrier.js';
import { installInMemoryTracing } from '../testing/in-memory-tracing.js';
import { sendTraced } from '../traced-send.js';
import { kafkaJsSender, tracedEachBatch, tracedEachMessage } from './kafkajs-adapter.js';

// The kafkajs adapter on the real broker, without NestJS: batch consumption keeps one
// context per record, and eachMessage retries then dead-letters.
const tracing = installInMemoryTracing();
const kafka = new Kafka({ clientId: 'adapter-it', brokers: [...stackEndpoints().kafkaBrokers], logLevel: logLevel.NOTHING });
const suffix = randomBytes(4).toString('hex');
const BATCH_TOPIC = `it.batch.${suffix}`;
const FAILING_TOPIC = `it.failing.${suffix}`;
const DLQ_TOPIC = `${FAILING_TOPIC}.dlq`;

const waitFor = async (condition: () => boolean, what: string) => {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('kafkajs adapter on the real broker', () => {
  let producer: Producer;
  const consumers: Consumer[] = [];
  const consumer = (groupId: string) => {
    const created = kafka.consumer({ groupId: `${groupId}.${suffix}` });
    consumers.push(created);
    return created;
  };

  before(async () => {
    await assertStackReachable(['kafka']);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [BATCH_TOPIC, FAILING_TOPIC, DLQ_TOPIC].map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
  });
  after(async () => {
    await Promise.all([producer?.disconnect(), ...consumers.map((created) => created.disconnect())]);
    await tracing.shutdown();
  });

  it('eachBatch: every record of a batch runs under its own producer span', async () => {
    const sender = kafkaJsSender(producer);
    // 20 messages from 20 traces, sent in one produce call.
    const roots = Array.from({ length: 20 }, (_, index) => trace.getTracer('it').startSpan(`order ${index}`, {}, ROOT_CONTEXT));
    await Promise.all(roots.map((root, index) => context.with(trace.setSpan(ROOT_CONTEXT, root), () => sendTraced(sender, BATCH_TOPIC, [{ key: String(index), value: 'v' }]))));
    roots.forEach((root) => root.end());

    const seen = new Map<string, string | undefined>();
    const batchConsumer = consumer('batch');
    await batchConsumer.connect();
    await batchConsumer.subscribe({ topic: BATCH_TOPIC, fromBeginning: true });
    await batchConsumer.run({
      eachBatch: tracedEachBatch((record) => void seen.set(String(record.key), trace.getActiveSpan()?.spanContext().traceId), { consumerGroup: 'batch' }),
    });
    await waitFor(() => tracing.named(`process ${BATCH_TOPIC}`).length === 20, '20 process spans');

    const producers = new Map(tracing.named(`send ${BATCH_TOPIC}`).map((span) => [span.attributes['messaging.kafka.message.key'], span]));
    for (const consumed of tracing.named(`process ${BATCH_TOPIC}`)) {
      const key = consumed.attributes['messaging.kafka.message.key'] as string;
      const sent = producers.get(key);
      assert.equal(consumed.parentSpanContext?.spanId, sent?.spanContext().spanId, `record ${key}`);
      assert.equal(seen.get(key), roots[Number(key)]?.spanContext().traceId);
    }
  });

  it('eachMessage: a failing record is retried, dead-lettered, and its offset committed', async () => {
    await sendTraced(kafkaJsSender(producer), FAILING_TOPIC, [{ key: 'poison', value: 'not json' }]);
    let calls = 0;
    const failing = consumer('failing');
    await failing.connect();
    await failing.subscribe({ topic: FAILING_TOPIC, fromBeginning: true });
    await failing.run({
      eachMessage: tracedEachMessage(
        () => {
          calls++;
          throw new SyntaxError('Unexpected token o in JSON');
        },
        { deadLetter: { sender: kafkaJsSender(producer) }, retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 10, multiplier: 1 }, consumerGroup: 'failing' },
      ),
    });

    const deadLetters: IHeaders[] = [];
    const dlq = consumer('dlq');
    await dlq.connect();
    await dlq.subscribe({ topic: DLQ_TOPIC, fromBeginning: true });
    await dlq.run({ eachMessage: async ({ message }) => void deadLetters.push(message.headers ?? {}) });
    await waitFor(() => deadLetters.length === 1, 'the dead-letter record');

    assert.equal(calls, 2);
    const attempts = tracing.named(`process ${FAILING_TOPIC}`);
    assert.deepEqual(attempts.map((span) => span.status.code), [SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
    const [dlqSend] = tracing.named(`send ${DLQ_TOPIC}`);
    assert.equal(dlqSend?.spanContext().traceId, attempts[0]?.spanContext().traceId);
    const header = (name: string) => headerText(deadLetters[0]?.[name]);
    assert.equal(header(DEAD_LETTER_HEADERS.topic), FAILING_TOPIC);
    assert.equal(header(DEAD_LETTER_HEADERS.attempts), '2');
    assert.equal(header(DEAD_LETTER_HEADERS.errorType), 'SyntaxError');
    assert.equal(header('traceparent')?.split('-')[2], dlqSend?.spanContext().spanId);

    // The source offset was committed: the group has nothing left to read.
    const admin = kafka.admin();
    await admin.connect();
    const committed = await waitForCommit(admin, `failing.${suffix}`);
    await admin.disconnect();
    assert.equal(committed, '1');
  });
});

async function waitForCommit(admin: ReturnType<Kafka['admin']>, groupId: string): Promise<string | undefined> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [FAILING_TOPIC] });
    const offset = offsets?.partitions[0]?.offset;
    if (offset === '1' || Date.now() > deadline) return offset;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
