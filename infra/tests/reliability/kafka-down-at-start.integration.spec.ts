import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { after, describe, it } from 'node:test';
import { stackEndpoints } from '@mqtrace/config';
import { freePort } from '../support/ports.js';
import { INFRA_DIR } from '../support/scripts.js';
import { stopAllServices } from '../support/services.js';

// Scenario 4 of the reliability suite: a service started before Kafka. Its broker
// address is a port where nothing listens yet; later a relay opens there to the real
// broker, which is what a broker coming up looks like to the service. It must report
// not-ready meanwhile, keep trying without exiting, and become ready on its own.
const SERVICES = ['inventory', 'payments'] as const;

/** A TCP relay from `port` to the real broker: "Kafka is up" at the address the service was given. */
async function openRelay(port: number): Promise<Server> {
  const [host, brokerPort] = (stackEndpoints().kafkaBrokers[0] ?? '127.0.0.1:9092').split(':');
  const relay = createServer((client) => {
    const broker = connect(Number(brokerPort), host);
    client.pipe(broker).pipe(client);
    client.on('error', () => broker.destroy());
    broker.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
  return relay;
}

// Readiness asks the broker (up to 3 s per consumer), so a generous timeout.
const status = (url: string) => fetch(url, { signal: AbortSignal.timeout(15_000) }).then((response) => response.status, () => 0);

describe('reliability: a service started while Kafka is down', () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  for (const service of SERVICES) {
    it(`${service} reports not-ready, keeps trying without exiting, and becomes ready once Kafka is there`, async () => {
      await stopAllServices();
      const [kafkaPort, httpPort] = [await freePort(), await freePort()];
      let log = '';
      const child: ChildProcess = spawn('bash', [`${INFRA_DIR}scripts/run-service.sh`, service], {
        env: { ...process.env, KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`, PORT: String(httpPort) },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      cleanups.push(async () => {
        if (child.exitCode === null) process.kill(-(child.pid ?? 0), 'SIGTERM');
        await exited;
      });
      const base = `http://127.0.0.1:${httpPort}`;

      // A second connection attempt (after a back-off), then a look at its health: alive, not ready.
      for (;;) {
        assert.equal(child.exitCode, null, `${service} exited while Kafka was down:\n${log}`);
        if (/Kafka not reachable \(attempt 2:/.test(log)) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(await status(`${base}/health/live`), 200, 'alive');
      assert.equal(await status(`${base}/health/ready`), 503, 'not ready while Kafka is down');

      const relay = await openRelay(kafkaPort);
      cleanups.push(() => new Promise((resolve) => relay.close(resolve)));
      const deadline = Date.now() + 60_000;
      while ((await status(`${base}/health/ready`)) !== 200) {
        assert.equal(child.exitCode, null, `${service} exited:\n${log}`);
        assert.ok(Date.now() < deadline, `${service} not ready 60 s after Kafka came up:\n${log.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      process.kill(-(child.pid ?? 0), 'SIGTERM');
      assert.equal(await exited, 0, `${service} exits cleanly on SIGTERM`);
    });
  }
});
