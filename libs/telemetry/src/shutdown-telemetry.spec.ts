import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it, mock } from 'node:test';
import { trace } from '@opentelemetry/api';
import { registeredTelemetry, shutdownTelemetry } from './registered-telemetry.js';
import { startTelemetry } from './start-telemetry.js';

// One SDK per process, so one start in this file.
describe('shutdownTelemetry', () => {
  // A collector that reads each request line and never answers: the worst case for a flush.
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const blackHole = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', (chunk: Buffer) => requests.push(chunk.toString('latin1').split('\r\n')[0] ?? ''));
  });
  let otlpEndpoint = '';
  const previousEnv = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  before(async () => {
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    otlpEndpoint = `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`;
    // Where the SDK's own metrics and logs exporters would go if it started them.
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = otlpEndpoint;
  });
  after(() => {
    if (previousEnv === undefined) delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
    else process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = previousEnv;
    for (const socket of sockets) socket.destroy();
    blackHole.close();
  });

  it('resolves at once when no telemetry was started', async () => {
    assert.equal(registeredTelemetry(), undefined);
    await shutdownTelemetry();
  });

  it('flushes the running SDK once for every caller, within its bound, sending spans only', async () => {
    const telemetry = startTelemetry({ serviceName: 'shutdown-test', otlpEndpoint, shutdownTimeoutMs: 500 });
    assert.equal(registeredTelemetry(), telemetry);

    trace.getTracer('shutdown-test').startSpan('queued').end();
    const warn = mock.method(console, 'warn', () => undefined);
    const started = performance.now();
    const flush = shutdownTelemetry();
    assert.equal(shutdownTelemetry(), flush);
    assert.equal(telemetry.shutdown(), flush);
    await flush;
    const elapsedMs = performance.now() - started;
    warn.mock.restore();

    // Without the bound the flush would wait for the exporter's own 5 s timeout.
    assert.ok(elapsedMs >= 450 && elapsedMs < 2_500, `shutdown took ${elapsedMs.toFixed(0)} ms with a 500 ms bound`);
    assert.match(String(warn.mock.calls[0]?.arguments[0]), /not delivered within 500 ms/);
    assert.ok(requests.length > 0, 'the queued span was never sent');
    assert.deepEqual([...new Set(requests)], ['POST /v1/traces HTTP/1.1']);
    assert.equal(shutdownTelemetry(), flush);
  });

  it('refuses a second start, which would record nothing', () => {
    assert.throws(() => startTelemetry({ serviceName: 'second-start', otlpEndpoint }), /already started in this process/);
  });
});
