import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

// `--import @mqtrace/telemetry/register` runs before the application: it must refuse to
// start without a service name, and otherwise start and shut down cleanly.
const run = (env: NodeJS.ProcessEnv, script = "console.log('application started')") =>
  promisify(execFile)(
    process.execPath,
    [...process.execArgv.filter((arg) => !arg.startsWith('--test')), '--import', '@mqtrace/telemetry/register', '--input-type=module', '-e', script],
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

  it('starts the SDK before the application and hands it to shutdownTelemetry', async () => {
    const script = "import { registeredTelemetry } from '@mqtrace/telemetry'; console.log(registeredTelemetry() ? 'application started with telemetry' : 'no telemetry')";
    const result = await run({ OTEL_SERVICE_NAME: 'register-test' }, script);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /application started with telemetry/);
  });

  it('still delivers the last spans, with the service version and environment, when the application ends on its own without shutdownTelemetry()', async () => {
    // A stand-in collector that keeps what it receives; the span name is plain text in
    // the protobuf body.
    const received: string[] = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces') received.push(Buffer.concat(chunks).toString('latin1'));
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const script = "import { trace } from '@opentelemetry/api'; trace.getTracer('script').startSpan('left in the queue').end();";
      const { port } = collector.address() as AddressInfo;
      const env = { OTEL_SERVICE_NAME: 'register-exit-test', SERVICE_VERSION: '9.8.7-test', DEPLOYMENT_ENVIRONMENT: 'register-env', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` };
      const result = await run(env, script);
      assert.equal(result.code, 0, result.stderr);
      const body = received.find((export_) => export_.includes('left in the queue'));
      assert.ok(body, `trace exports received: ${received.length}`);
      for (const resource of ['service.version', '9.8.7-test', 'deployment.environment.name', 'register-env']) assert.ok(body.includes(resource), `resource has ${resource}`);
    } finally {
      collector.close();
    }
  });
});
