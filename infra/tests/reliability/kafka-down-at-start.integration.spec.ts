import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { stackEndpoints } from '@mqtrace/config';
import { TOPICS } from '@mqtrace/contracts';
import { orderRequest } from '@mqtrace/load';
import { openKafkaRelay, type KafkaRelay } from '../support/kafka-relay.js';
import { awaitServiceReady, httpStatus, startOneService, type OneService } from '../support/one-service.js';
import { freePort } from '../support/ports.js';
import { readTopic, topicEnd } from '../support/topic-reader.js';

// Scenario 4 of the reliability suite: a service started before Kafka. Its broker
// address is a port where nothing listens yet; later a relay opens there to the real
// broker, which is what a broker coming up looks like to the service. It must report
// not-ready meanwhile, keep trying without exiting, and become ready on its own.
const SERVICES = ['inventory', 'payments'] as const;

describe('reliability: a service started while Kafka is down', () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** The service alone, with its broker address at `kafkaPort` (where nothing listens yet, or a relay). */
  async function start(service: string, kafkaPort: number): Promise<OneService> {
    const started = await startOneService(service, `127.0.0.1:${kafkaPort}`);
    cleanups.push(() => started.stop());
    return started;
  }

  /** A relay at `port` to the stack's broker: "Kafka is up" (or starting, when `held`) at the address a service was given. */
  async function openRelay(port: number, options: { held?: boolean } = {}): Promise<KafkaRelay> {
    const relay = await openKafkaRelay(port, stackEndpoints().kafkaBrokers[0] ?? '127.0.0.1:9092', options);
    cleanups.push(() => relay.close());
    return relay;
  }

  for (const service of SERVICES) {
    it(`${service} reports not-ready, keeps trying without exiting, and becomes ready once Kafka is there`, async () => {
      const kafkaPort = await freePort();
      const started = await start(service, kafkaPort);

      // A second connection attempt (after a back-off), then a look at its health: alive, not ready.
      for (;;) {
        assert.equal(started.exitCode(), null, `${service} exited while Kafka was down:\n${started.log()}`);
        if (/Kafka not reachable \(attempt 2:/.test(started.log())) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(await httpStatus(`${started.base}/health/live`), 200, 'alive');
      assert.equal(await httpStatus(`${started.base}/health/ready`), 503, 'not ready while Kafka is down');

      await openRelay(kafkaPort);
      await awaitServiceReady(service, started);
      assert.equal(await started.stop(), 0, `${service} exits cleanly on SIGTERM`);
    });
  }

  it('order-api refuses orders with 503 and Retry-After while Kafka is starting, sends none of them, and accepts orders once it is up', async (t) => {
    const placedFrom = await topicEnd(TOPICS.ordersPlaced);
    const kafkaPort = await freePort();
    const relay = await openRelay(kafkaPort, { held: true });
    const started = await start('order-api', kafkaPort);
    const place = async () => {
      const sentAt = Date.now();
      const response = await fetch(`${started.base}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(orderRequest('approved')), signal: AbortSignal.timeout(15_000) });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { message?: string; orderId?: string }, ms: Date.now() - sentAt };
    };
    while ((await httpStatus(`${started.base}/health/live`)) !== 200) {
      assert.equal(started.exitCode(), null, `order-api exited while Kafka was starting:\n${started.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // The first order waits for the gate's first probe (2 s), the next is refused at once.
    const refused = [await place(), await place(), await place()];
    for (const answer of refused) {
      assert.equal(answer.status, 503, JSON.stringify(answer.body));
      assert.equal(answer.retryAfter, '1');
      assert.match(answer.body.message ?? '', /was not placed; try again later/);
    }
    assert.ok(refused.slice(1).every(({ ms }) => ms < 1_000), `refused at once once the gate is closed: ${refused.map(({ ms }) => `${ms} ms`).join(', ')}`);
    const ready = await fetch(`${started.base}/health/ready`, { signal: AbortSignal.timeout(15_000) });
    assert.equal(ready.status, 503);
    const checks = ((await ready.json()) as { details: Record<string, { status: string; reason?: string }> }).details;
    assert.equal(checks['orders']?.status, 'down');
    assert.match(checks['orders']?.reason ?? '', /^sends held back since \S+: no broker answered the first probe$/);

    // The broker is ready: it now reads everything it was sent while it started.
    relay.release();
    const releasedAt = Date.now();
    await awaitServiceReady('order-api', started);
    t.diagnostic(`refused in ${refused.map(({ ms }) => `${ms} ms`).join(', ')}; ready ${Date.now() - releasedAt} ms after the broker was`);
    const accepted = await place();
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    assert.deepEqual(
      (await readTopic(TOPICS.ordersPlaced, placedFrom)).map((record) => record.key),
      [accepted.body.orderId],
      'orders.placed holds the accepted order and none of those answered 503',
    );
    assert.equal(await started.stop(), 0, 'order-api exits cleanly on SIGTERM');
  });
});
