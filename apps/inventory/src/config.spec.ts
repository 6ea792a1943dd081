import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// A service with a bad environment refuses to start, naming every bad variable in one
// message and exiting 78 (configuration error): no stack trace, no half-started service.
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...process.execArgv.filter((arg) => !arg.startsWith('--test')), '--import', '@mqtrace/telemetry/register', main], {
    env: { ...process.env, OTEL_SERVICE_NAME: 'inventory', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('inventory with a bad environment', () => {
  it('exits 78 naming every bad variable, before starting anything', async () => {
    const { code, output } = await start({ PORT: 'eighty', INVENTORY_STOCK: '{"sku-1": -1}', KAFKA_BROKERS: 'kafka', LOG_LEVEL: 'loud' });
    assert.equal(code, 78, output);
    assert.match(output, /inventory cannot start, its configuration is invalid/);
    for (const variable of ['PORT', 'INVENTORY_STOCK', 'KAFKA_BROKERS', 'LOG_LEVEL']) assert.match(output, new RegExp(`^  ${variable}(\\.[^:]*)?: `, 'm'), `${variable} is named`);
    assert.match(output, /docs\/configuration\.md/);
    assert.doesNotMatch(output, /\bat .*\.ts:\d+/, 'no stack trace');
    assert.doesNotMatch(output, /Nest application successfully started|listening on/);
  });
});
