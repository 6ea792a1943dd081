import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TOPICS } from '@mqtrace/contracts';
import { orderRequest } from '@mqtrace/load';
import { openKafkaRelay, type KafkaRelay } from '../support/kafka-relay.js';
import { awaitServiceReady, startOneService, type OneService } from '../support/one-service.js';
import { freePort } from '../support/ports.js';
import { runScript } from '../support/scripts.js';
import { readTopic } from '../support/topic-reader.js';

// Found by CI in the broker-restart scenario: a restarted broker answered order-api's
// probe (metadata) and then held writes for 5 s more. Every order sent meanwhile waited
// out the publish timeout, was answered 503, and was written when the broker let go. Here
// that broker is made on purpose: a scratch broker (stack.sh, its own ports and state)
// that advertises a relay's port, so order-api's every connection goes through the relay,
// which holds Produce requests and relays everything else.
const BURST = 10;

interface Answer {
  readonly status: number;
  readonly message: string;
  readonly orderId?: string;
  readonly ms: number;
}

describe('reliability: a broker that answers metadata but holds writes', () => {
  let stateDir: string;
  let stackEnv: NodeJS.ProcessEnv;
  let relay: KafkaRelay | undefined;
  let orderApi: OneService | undefined;
  let brokers: string;

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'mqtrace-holding-writes-'));
    const [kafkaPort, relayPort, controllerPort] = [await freePort(), await freePort(), await freePort()];
    stackEnv = {
      MQTRACE_STATE_DIR: stateDir,
      MQTRACE_LOG_DIR: join(stateDir, 'logs'),
      KAFKA_PORT: String(kafkaPort),
      KAFKA_ADVERTISED_PORT: String(relayPort),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
    };
    relay = await openKafkaRelay(relayPort, `127.0.0.1:${kafkaPort}`);
    brokers = `127.0.0.1:${relayPort}`;
    const started = await runScript('stack.sh', ['start', 'kafka'], stackEnv);
    assert.equal(started.code, 0, `stack.sh start kafka (scratch broker) failed:\n${started.stderr}`);
  });
  after(async () => {
    await orderApi?.stop();
    await relay?.close();
    await runScript('stack.sh', ['stop', 'kafka'], stackEnv);
    await rm(stateDir, { recursive: true, force: true });
  });

  const place = async (): Promise<Answer> => {
    const sentAt = Date.now();
    const response = await fetch(`${orderApi?.base}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(orderRequest('approved')), signal: AbortSignal.timeout(15_000) });
    const body = (await response.json()) as { message?: string; orderId?: string };
    return { status: response.status, message: body.message ?? '', ...(body.orderId ? { orderId: body.orderId } : {}), ms: Date.now() - sentAt };
  };

  /** Waits until order-api's `orders` check is up: its send gate lets an order through again. */
  const gateLetsThrough = async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ready = await fetch(`${orderApi?.base}/health/ready`, { signal: AbortSignal.timeout(15_000) });
      const details = ((await ready.json()) as { details?: Record<string, { status: string }> }).details ?? {};
      if (details['orders']?.status === 'up') return;
      assert.ok(Date.now() < deadline, `order-api's send gate still closed after 30 s: ${JSON.stringify(details['orders'])}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('order-api hands one order at a time to it, refuses the others at once, and so writes at most one order per reopening that it answered 503', async (t) => {
    orderApi = await startOneService('order-api', brokers);
    await awaitServiceReady('order-api', orderApi);
    const warmUp = await place();
    assert.equal(warmUp.status, 202, warmUp.message);

    relay?.holdWrites();
    const closing = await place();
    assert.equal(closing.status, 503, 'the order sent once the broker holds writes');
    assert.match(closing.message, /did not acknowledge/);
    await gateLetsThrough();

    // The probe is answered, so the gate opens half-way: of orders sent together, one is
    // handed to the broker (and waits), the others are refused at once.
    const burst = await Promise.all(Array.from({ length: BURST }, place));
    const trials = burst.filter((answer) => /did not acknowledge/.test(answer.message));
    const refused = burst.filter((answer) => answer.status === 503 && /not reachable/.test(answer.message));
    t.diagnostic(`${burst.map(({ status, ms }) => `${status} in ${ms} ms`).join(', ')}`);
    assert.deepEqual(
      burst.filter((answer) => answer.status !== 503).map(({ status, message }) => `${status} ${message}`),
      [],
      'orders answered otherwise than 503 while the broker held writes',
    );
    assert.equal(trials.length, 1, 'orders handed to a broker that holds writes, one at a time');
    assert.deepEqual(refused.filter(({ ms }) => ms > 1_000).map(({ ms }) => `${ms} ms`), [], 'refusals that waited');

    // Every held send has been answered 503. Now the broker takes writes again, and writes
    // what it held all the same.
    relay?.release();
    await gateLetsThrough();
    const trial = await place();
    assert.equal(trial.status, 202, `the trial after the broker let go: ${trial.message}`);
    const open = await Promise.all(Array.from({ length: 5 }, place));
    assert.deepEqual(open.map(({ status }) => status), [202, 202, 202, 202, 202], 'orders side by side once a trial was acknowledged');

    const accepted = new Set([warmUp, trial, ...open].map(({ orderId }) => orderId));
    const placed = await readTopic(TOPICS.ordersPlaced, new Map(), [brokers]);
    const writtenAfter503 = placed.filter((record) => !accepted.has(record.key));
    t.diagnostic(`orders.placed: ${placed.length} records, ${writtenAfter503.length} of orders answered 503`);
    assert.deepEqual([...accepted].filter((id) => !placed.some((record) => record.key === id)), [], 'accepted orders missing from orders.placed');
    assert.ok(writtenAfter503.length <= 2, `${writtenAfter503.length} orders answered 503 were written (at most 2: the one that closed the gate, and the one trial)`);
  });
});
