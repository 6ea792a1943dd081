import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { INFRA_DIR } from './support/scripts.js';

const run = promisify(execFile);

/** Exit status of `pid_alive <pid>` from infra/scripts/lib.sh. */
async function pidAlive(pid: number): Promise<number> {
  try {
    await run('bash', ['-c', `source "${INFRA_DIR}scripts/lib.sh" && pid_alive ${pid}`]);
    return 0;
  } catch (error) {
    return (error as { code: number }).code;
  }
}

describe('pid_alive (lib.sh): what stack.sh and services.sh wait on when they stop something', () => {
  // A parent that never reaps its child: the child stays a zombie, as an orphaned service
  // does until PID 1 gets round to it.
  const parent = spawn('python3', ['-c', 'import os, sys, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(60)'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const zombiePid = new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  after(() => parent.kill('SIGKILL'));

  it('is true for a running process', async () => {
    assert.equal(await pidAlive(process.pid), 0);
  });

  it('is false for a zombie, which kill -0 still reports as there', async () => {
    const pid = await zombiePid;
    for (let state = ''; !state.startsWith('Z'); ) state = (await run('ps', ['-p', String(pid), '-o', 'stat='])).stdout.trim();
    await run('kill', ['-0', String(pid)]);
    assert.equal(await pidAlive(pid), 1);
  });

  it('is false for a pid nothing runs under', async () => {
    assert.equal(await pidAlive(2 ** 22 + 1), 1);
  });
});
