import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { freePort } from './ports.js';
import { INFRA_DIR } from './scripts.js';
import { stopAllServices } from './services.js';

/** A service process started by `run-service.sh` with its own broker address and HTTP port, and its output so far. */
export interface OneService {
  readonly base: string;
  readonly log: () => string;
  readonly exitCode: () => number | null;
  /** SIGTERM to its process group; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** An HTTP status, or 0 when nothing answered. Readiness asks the broker (up to 3 s per consumer), so a generous timeout. */
export const httpStatus = (url: string): Promise<number> => fetch(url, { signal: AbortSignal.timeout(15_000) }).then((response) => response.status, () => 0);

/**
 * Starts one service alone, as users start it (`run-service.sh`), with `KAFKA_BROKERS`
 * from `brokers` and a free HTTP port, after stopping the five the other suites run (one
 * order-api at a time reads `orders.status`). Resolves once the process is spawned.
 */
export async function startOneService(service: string, brokers: string): Promise<OneService> {
  await stopAllServices();
  const httpPort = await freePort();
  let log = '';
  const child = spawn('bash', [`${INFRA_DIR}scripts/run-service.sh`, service], {
    env: { ...process.env, KAFKA_BROKERS: brokers, PORT: String(httpPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    base: `http://127.0.0.1:${httpPort}`,
    log: () => log,
    exitCode: () => child.exitCode,
    stop: async () => {
      if (child.exitCode === null) process.kill(-(child.pid ?? 0), 'SIGTERM');
      return exited;
    },
  };
}

/** Waits until `started` answers ready within `boundMs`; it must not exit meanwhile. */
export async function awaitServiceReady(service: string, started: OneService, boundMs = 60_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while ((await httpStatus(`${started.base}/health/ready`)) !== 200) {
    assert.equal(started.exitCode(), null, `${service} exited:\n${started.log()}`);
    assert.ok(Date.now() < deadline, `${service} not ready after ${boundMs / 1000} s:\n${started.log().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
