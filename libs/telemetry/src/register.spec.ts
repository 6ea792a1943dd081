import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

// `--import @mqtrace/telemetry/register` runs before the application: it must refuse to
// start without a service name, and otherwise start and shut down cleanly.
const run = (env: NodeJS.ProcessEnv) =>
  promisify(execFile)(
    process.execPath,
    [...process.execArgv.filter((arg) => !arg.startsWith('--test')), '--import', '@mqtrace/telemetry/register', '--input-type=module', '-e', "console.log('application started')"],
    { env: { ...process.env, ...env }, timeout: 30_000 },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );

describe('@mqtrace/telemetry/register', () => {
  it('refuses to start without OTEL_SERVICE_NAME, saying what to set', async () => {
    const result = await run({ OTEL_SERVICE_NAME: '' });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /OTEL_SERVICE_NAME must name the service/);
    assert.doesNotMatch(result.stdout, /application started/);
  });

  it('starts the SDK before the application', async () => {
    const result = await run({ OTEL_SERVICE_NAME: 'register-test' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /application started/);
  });
});
