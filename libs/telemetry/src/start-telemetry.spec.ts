import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { trace } from '@opentelemetry/api';
import { startTelemetry } from './start-telemetry.js';

// A service whose collector is down keeps working: spans are dropped, nothing throws,
// memory stays bounded and shutdown does not hang.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const retainedHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};
describe('startTelemetry with the collector down', () => {
  it('drops spans without failing the caller and shuts down promptly', async () => {
    const telemetry = startTelemetry({ serviceName: 'collector-down-test', otlpEndpoint: 'http://127.0.0.1:1' });
    const tracer = trace.getTracer('collector-down-test');
    const heapBefore = retainedHeap();
    for (let index = 0; index < 50_000; index++) tracer.startSpan('work', { attributes: { index } }).end();
    const heapGrowthMb = (retainedHeap() - heapBefore) / 1024 / 1024;

    const started = Date.now();
    await telemetry.shutdown();
    const shutdownMs = Date.now() - started;

    // The queue holds 4096 spans (about 5 MiB here); an unbounded one kept all 50,000 (about 44 MiB).
    assert.ok(heapGrowthMb < 16, `heap grew ${heapGrowthMb.toFixed(1)} MiB`);
    assert.ok(shutdownMs < 20_000, `shutdown took ${shutdownMs} ms`);
  });
});
