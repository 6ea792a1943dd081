import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Controller, Module, type INestMicroservice, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { DEFAULT_TRACING_OPTIONS } from '@mqtrace/kafka-tracing';
import { TracedServerKafka } from './traced-server-kafka.js';

// `createTopics` on the real broker. The native broker creates a topic on first use, so
// the proof is in topics that nothing uses: a dead-letter topic no record has gone to,
// and one no handler reads. Only the server's own creation can have made them.
const brokers = [...stackEndpoints().kafkaBrokers];
const suffix = randomBytes(4).toString('hex');
const CONSUMED = `it.create.${suffix}`;
const UNUSED = [`${CONSUMED}.dlq`, `it.create.unused.${suffix}`];
/** A name the broker refuses (a space is not allowed in a topic name). */
const INVALID = `it create ${suffix}`;

const received: string[] = [];

@Controller()
class Handlers {
  @EventPattern<Record<string, { n: string }>>(CONSUMED)
  onRecord(@Payload() record: { n: string }): void {
    received.push(record.n);
  }
}
@Module({ controllers: [Handlers] })
class HandlersModule {}

/** Keeps what the server logged, so a refusal can be seen to be reported. */
function capturingLogger(lines: string[]): LoggerService {
  const keep = (message: unknown) => void lines.push(String(message));
  return { log: keep, warn: keep, error: keep };
}

describe('TracedServerKafka createTopics on the real broker', () => {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  const apps: INestMicroservice[] = [];

  before(async () => {
    await assertStackReachable(['kafka']);
    await admin.connect();
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await admin.deleteTopics({ topics: [CONSUMED, ...UNUSED] }).catch(() => undefined);
    await admin.disconnect();
  });

  async function startServer(createTopics: readonly string[], logged: string[] = []): Promise<void> {
    const app = await NestFactory.createMicroservice(HandlersModule, {
      logger: capturingLogger(logged),
      strategy: new TracedServerKafka({
        client: { clientId: `it-create-${suffix}`, brokers, logLevel: logLevel.NOTHING },
        consumer: { groupId: `it-create-${suffix}-${apps.length}` },
        subscribe: { fromBeginning: true },
        tracing: { switches: DEFAULT_TRACING_OPTIONS },
        createTopics,
      }),
    });
    apps.push(app);
    await app.listen();
  }

  it('creates the missing topics before subscribing, those nothing reads or writes included', async () => {
    const before = await admin.listTopics();
    assert.deepEqual([CONSUMED, ...UNUSED].filter((topic) => before.includes(topic)), [], 'the topics existed before the test');

    await startServer([CONSUMED, ...UNUSED]);

    const after = await admin.listTopics();
    assert.deepEqual([CONSUMED, ...UNUSED].filter((topic) => !after.includes(topic)), [], 'topics missing after the server started');
  });

  it('starts as before when the topics exist, and when one cannot be created it says so and still consumes', async () => {
    // Only the server started here may consume what is sent below.
    await Promise.all(apps.splice(0).map((app) => app.close()));
    const logged: string[] = [];
    await startServer([CONSUMED, INVALID, ...UNUSED], logged);

    assert.ok(
      logged.some((line) => line.includes('could not create the topics') && line.includes(INVALID)),
      `the refusal is logged:\n${logged.join('\n')}`,
    );
    const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: CONSUMED, messages: [{ value: JSON.stringify({ n: 'after-refusal' }) }] });
    await producer.disconnect();
    for (const deadline = Date.now() + 30_000; !received.includes('after-refusal'); await new Promise((resolve) => setTimeout(resolve, 100))) {
      if (Date.now() > deadline) throw new Error('the record sent after the refused creation was not consumed within 30 s');
    }
  });
});
