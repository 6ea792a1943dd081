import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertStackReachable } from '@mqtrace/config';

// The CLI as users run it, against the native stack's Tempo and Jaeger: what it answers
// when there is nothing to check. Journeys that exist are verified in
// infra/tests/journeys.integration.spec.ts, where the services run.
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Runs `verify` with arguments; resolves with its exit code and output. */
function runVerify(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...process.execArgv.filter((arg) => !arg.startsWith('--test')), main, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm run verify', () => {
  it('--help explains the arguments, the backends and the exit codes', async () => {
    const { code, stdout } = await runVerify(['--help']);
    assert.equal(code, 0);
    for (const text of ['<id>', 'order id', 'trace id', '--no-jaeger', '--generic', '--json', 'Exit status: 0 every edge holds, 1 an edge is broken, 2 usage error, 3 a backend is unreachable, 4 not found']) assert.ok(stdout.includes(text), text);
  });

  it('refuses an id that is neither an order id nor a trace id (exit 2)', async () => {
    const { code, stderr } = await runVerify(['not-an-id']);
    assert.equal(code, 2);
    assert.match(stderr, /"not-an-id" is neither an order id \(a UUID\) nor a trace id \(32 hex digits\)/);
  });

  it('says "not found" for a trace id no backend knows, never a pass (exit 4)', async () => {
    await assertStackReachable(['tempo', 'jaeger']);
    const traceId = randomBytes(16).toString('hex');
    const { code, stdout } = await runVerify([traceId, '--wait', '0']);
    assert.equal(code, 4, stdout);
    assert.match(stdout, new RegExp(`not found: no trace of ${traceId} in tempo and jaeger`));
    const json = await runVerify([randomUUID(), '--wait', '0', '--json']);
    assert.equal(json.code, 4);
    assert.equal((JSON.parse(json.stdout) as { ok: boolean; outcome: string }).outcome, 'not-found');
  });

  it('says which backend it cannot reach, with a distinct exit code (3)', async () => {
    const port = await closedPort();
    const { code, stdout } = await runVerify([randomBytes(16).toString('hex'), '--wait', '0', '--no-tempo', '--jaeger', `http://127.0.0.1:${port}`]);
    assert.equal(code, 3, stdout);
    assert.match(stdout, new RegExp(`cannot ask jaeger: jaeger is not reachable at http://127.0.0.1:${port}/`));
  });
});
