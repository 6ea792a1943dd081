import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { stackEndpoints } from '@mqtrace/config';
import { TOPICS } from '@mqtrace/contracts';
import { orderRequest } from '@mqtrace/load';
import { freePort } from '../support/ports.js';
import { INFRA_DIR } from '../support/scripts.js';
import { stopAllServices } from '../support/services.js';
import { readTopic, topicEnd } from '../support/topic-reader.js';

// Scenario 4 of the reliability suite: a service started before Kafka. Its broker
// address is a port where nothing listens yet; later a relay opens there to the real
// broker, which is what a broker coming up looks like to the service. It must report
// not-ready meanwhile, keep trying without exiting, and become ready on its own.
const SERVICES = ['inventory', 'payments'] as const;

/** A TCP relay at `port` to the real broker: "Kafka is up" at the address a service was given. */
interface Relay {
  /** Hands over what a held relay was sent, in order, and relays from then on. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Opens a {@link Relay} at `port`. A `held` one is a broker that is starting, as a client
 * sees it: connections are accepted, but nothing is answered until `release()`; then the
 * broker gets every byte it was sent meanwhile, even from clients that gave up.
 */
async function openRelay(port: number, { held = false } = {}): Promise<Relay> {
  const [host, brokerPort] = (stackEndpoints().kafkaBrokers[0] ?? '127.0.0.1:9092').split(':');
  const sockets = new Set<Socket>();
  const waiting: Array<() => void> = [];
  let holding = held;
  const relay = createServer((client) => {
    sockets.add(client);
    const sent: Buffer[] = [];
    const hold = (chunk: Buffer) => sent.push(chunk);
    client.on('data', hold);
    client.on('error', () => undefined);
    const pass = () => {
      const broker = connect(Number(brokerPort), host);
      sockets.add(broker);
      client.off('data', hold);
      for (const chunk of sent) broker.write(chunk);
      client.pipe(broker).pipe(client);
      client.on('error', () => broker.destroy());
      broker.on('error', () => client.destroy());
    };
    if (holding) waiting.push(pass);
    else pass();
  });
  await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
  return {
    release: () => {
      holding = false;
      waiting.splice(0).forEach((pass) => pass());
    },
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => relay.close(() => resolve()));
    },
  };
}

// Readiness asks the broker (up to 3 s per consumer), so a generous timeout.
const status = (url: string) => fetch(url, { signal: AbortSignal.timeout(15_000) }).then((response) => response.status, () => 0);

/** A service process started by `run-service.sh` with its broker address and HTTP port, and its output so far. */
interface StartedService {
  readonly base: string;
  readonly log: () => string;
  readonly exitCode: () => number | null;
  /** SIGTERM to its process group; resolves with its exit code. */
  stop(): Promise<number | null>;
}

describe('reliability: a service started while Kafka is down', () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function start(service: string, kafkaPort: number): Promise<StartedService> {
    await stopAllServices();
    const httpPort = await freePort();
    let log = '';
    const child: ChildProcess = spawn('bash', [`${INFRA_DIR}scripts/run-service.sh`, service], {
      env: { ...process.env, KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`, PORT: String(httpPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const stop = async () => {
      if (child.exitCode === null) process.kill(-(child.pid ?? 0), 'SIGTERM');
      return exited;
    };
    cleanups.push(stop);
    return { base: `http://127.0.0.1:${httpPort}`, log: () => log, exitCode: () => child.exitCode, stop };
  }

  /** Waits until `service` answers ready (it must not exit meanwhile). */
  async function awaitReady(service: string, started: StartedService): Promise<void> {
    const deadline = Date.now() + 60_000;
    while ((await status(`${started.base}/health/ready`)) !== 200) {
      assert.equal(started.exitCode(), null, `${service} exited:\n${started.log()}`);
      assert.ok(Date.now() < deadline, `${service} not ready 60 s after Kafka came up:\n${started.log().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
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
      assert.equal(await status(`${started.base}/health/live`), 200, 'alive');
      assert.equal(await status(`${started.base}/health/ready`), 503, 'not ready while Kafka is down');

      const relay = await openRelay(kafkaPort);
      cleanups.push(() => relay.close());
      await awaitReady(service, started);
      assert.equal(await started.stop(), 0, `${service} exits cleanly on SIGTERM`);
    });
  }

  it('order-api refuses orders with 503 and Retry-After while Kafka is starting, sends none of them, and accepts orders once it is up', async (t) => {
    const placedFrom = await topicEnd(TOPICS.ordersPlaced);
    const kafkaPort = await freePort();
    const relay = await openRelay(kafkaPort, { held: true });
    cleanups.push(() => relay.close());
    const started = await start('order-api', kafkaPort);
    const place = async () => {
      const sentAt = Date.now();
      const response = await fetch(`${started.base}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(orderRequest('approved')), signal: AbortSignal.timeout(15_000) });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { message?: string; orderId?: string }, ms: Date.now() - sentAt };
    };
    while ((await status(`${started.base}/health/live`)) !== 200) {
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
    await awaitReady('order-api', started);
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
