import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findServiceProcesses, watchProcesses } from './process-stats.js';

describe('process stats', () => {
  it('reports a live process: its peak RSS and the CPU it used while watched', async () => {
    const watch = watchProcesses(new Map([['this test', process.pid]]), 50);
    await watch.firstSample;
    const spinUntil = Date.now() + 300;
    while (Date.now() < spinUntil); // a known CPU load: one core, busy
    const [usage] = await watch.stop();
    assert.equal(usage?.name, 'this test');
    assert.ok((usage?.maxRssMiB ?? 0) > 10, `RSS ${usage?.maxRssMiB} MiB`);
    assert.ok((usage?.cpuPercent ?? 0) > 30, `CPU ${usage?.cpuPercent} %`);
  });

  it('finds no process of a service that does not run', async () => {
    assert.deepEqual([...(await findServiceProcesses(['no-such-service']))], []);
  });
});
