import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS } from '@mqtrace/contracts';
import { followTimelines, isComplete, ORDER_KINDS, placeOrders } from '@mqtrace/load';
import { freePort } from './support/ports.js';
import { runScript } from './support/scripts.js';
import { ORDER_API_URL, startServices, type RunningServices } from './support/services.js';

// Production clusters usually do not create a topic on first use. The services create the
// topics of the system at start (ALL_TOPICS), so they run there too. The proof: a scratch
// broker started by stack.sh with KAFKA_AUTO_CREATE_TOPICS_ENABLE=false (its own ports and
// state folder, beside the shared stack), the five services pointed at it, an order of
// every kind carried to its end (retry and dead-letter topics included). Spans go to the
// shared collector as usual.
describe('the services on a broker that does not create topics on first use', () => {
  let stateDir: string;
  let env: NodeJS.ProcessEnv;
  let brokers: string[];
  let services: RunningServices | undefined;

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'mqtrace-no-auto-create-'));
    const [kafkaPort, controllerPort] = [await freePort(), await freePort()];
    env = {
      MQTRACE_STATE_DIR: stateDir,
      MQTRACE_LOG_DIR: join(stateDir, 'logs'),
      KAFKA_PORT: String(kafkaPort),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    };
    brokers = [`127.0.0.1:${kafkaPort}`];
    const started = await runScript('stack.sh', ['start', 'kafka'], env);
    assert.equal(started.code, 0, `stack.sh start kafka (scratch broker) failed:\n${started.stderr}`);
  });
  after(async () => {
    await services?.stop();
    await runScript('stack.sh', ['stop', 'kafka'], env);
    await rm(stateDir, { recursive: true, force: true });
  });

  it('the scratch broker refuses to create a topic on first use', async () => {
    const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    const topic = `it.unknown.${randomBytes(4).toString('hex')}`;
    await producer.connect();
    try {
      await assert.rejects(producer.send({ topic, messages: [{ value: 'x' }] }), 'a send to a missing topic is refused');
    } finally {
      await producer.disconnect();
    }
    const admin = kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics().finally(() => admin.disconnect());
    assert.ok(!topics.includes(topic), `${topic} was created on first use`);
  });

  it('the five services create every topic of the system and carry an order of each kind to its end', async () => {
    services = await startServices({ KAFKA_BROKERS: brokers.join(','), SERVICES_READY_TIMEOUT_SECONDS: '60' });

    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = await admin.listTopics().finally(() => admin.disconnect());
    assert.deepEqual(ALL_TOPICS.filter((topic) => !topics.includes(topic)), [], 'topics of the system missing once the services are ready');

    const placed = await placeOrders({ orderApiUrl: ORDER_API_URL, kinds: ORDER_KINDS, ratePerSecond: 10 });
    assert.deepEqual(placed.filter((order) => order.status !== 202).map(({ kind, status, error }) => `${kind}: ${status} ${error}`), [], 'orders accepted');
    const timelines = await followTimelines(placed, { orderApiUrl: ORDER_API_URL, done: (order, timeline) => isComplete(order.kind, timeline), timeoutMs: 60_000 });
    assert.deepEqual(
      placed
        .filter((order) => !isComplete(order.kind, timelines.get(order.orderId ?? '') ?? []))
        .map((order) => `${order.kind}: ${(timelines.get(order.orderId ?? '') ?? []).map((step) => step.status).join(' → ') || 'no step'}`),
      [],
      'orders that did not reach their final state',
    );
  });
});
