import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { Controller, Module, type INestMicroservice, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { DEFAULT_TRACING_OPTIONS } from '@mqtrace/kafka-tracing';
import { TracedServerKafka } from './traced-server-kafka.js';

// Readiness and start-up of the traced transport: Kafka unreachable at start is a
// not-ready service that keeps trying, never a crash; on the real broker it is ready.
const brokers = [...stackEndpoints().kafkaBrokers];
const suffix = randomBytes(4).toString('hex');
const topic = `it.readiness.${suffix}`;

@Controller()
class Handlers {
  @EventPattern<Record<string, unknown>>(topic)
  handle(@Payload() _event: unknown): void {
    // Nothing to do: these tests are about connecting, not consuming.
  }
}
@Module({ controllers: [Handlers] })
class ReadinessModule {}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function serverFor(brokerList: string[], group: string) {
  return new TracedServerKafka({
    client: { clientId: group, brokers: brokerList, logLevel: logLevel.NOTHING, retry: { retries: 0 } },
    consumer: { groupId: group },
    subscribe: { fromBeginning: true },
    tracing: { switches: DEFAULT_TRACING_OPTIONS },
  });
}

describe('TracedServerKafka readiness', () => {
  const apps: INestMicroservice[] = [];
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('Kafka unreachable at start: listen() keeps trying instead of failing, and readiness says why', async () => {
    const warnings: string[] = [];
    const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (message: unknown) => void warnings.push(String(message)) };
    const server = serverFor([`127.0.0.1:${await closedPort()}`], `it-unreachable-${suffix}`);
    const app = await NestFactory.createMicroservice(ReadinessModule, { logger, strategy: server });
    apps.push(app);
    let failed: unknown;
    void app.listen().catch((error: unknown) => (failed = error));

    await eventually(async () => warnings.length, (count) => count >= 2, 'a second connection attempt');
    assert.equal(failed, undefined, 'listen() did not reject');
    assert.match(warnings[0] ?? '', /Kafka not reachable \(attempt 1: .*\); trying again in 1000 ms/);
    const readiness = await server.readiness();
    assert.equal(readiness.ready, false);
    assert.equal(readiness.consumer, 'connecting');
    assert.equal(readiness.broker, 'unreachable');
    assert.match(readiness.reason ?? '', /consumer is connecting; no Kafka broker answers/);

    await app.close();
    const attempts = warnings.length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.equal(warnings.length, attempts, 'no attempt after close()');
    assert.equal((await server.readiness()).consumer, 'stopped');
  });

  it('on the real broker: ready once in its group, and endOffsets() gives the high watermark', async () => {
    await assertStackReachable(['kafka']);
    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: '{}' }, { value: '{}' }] });
    await producer.disconnect();

    const server = serverFor(brokers, `it-ready-${suffix}`);
    const app = await NestFactory.createMicroservice(ReadinessModule, { logger: false, strategy: server });
    apps.push(app);
    await app.listen();
    const ready = await eventually(() => server.readiness(), (readiness) => readiness.ready, 'readiness');
    assert.deepEqual(ready, { ready: true, consumer: 'consuming', broker: 'reachable', pausedPartitions: 0, stuckPartitions: 0 });
    assert.deepEqual(await server.endOffsets(topic), new Map([[0, 2n]]));
  });
});
