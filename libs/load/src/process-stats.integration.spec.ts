import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findStackProcesses, watchProcesses } from './process-stats.js';

describe('process stats of the native stack', () => {
  it('finds each running component of the stack and reads its memory', async () => {
    const found = await findStackProcesses();
    assert.deepEqual([...found.keys()].sort(), ['jaeger', 'kafka', 'otelcol-gateway', 'otelcol-sampler-1', 'otelcol-sampler-2', 'tempo']);
    const watch = watchProcesses(found);
    await watch.firstSample;
    const usage = await watch.stop();
    assert.deepEqual(usage.filter((one) => !(one.maxRssMiB > 0)).map((one) => one.name), [], 'components without a resident set');
  });
});
