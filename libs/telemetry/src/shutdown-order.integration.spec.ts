// SIGTERM reaches a process started with `--import @mqtrace/telemetry/register` while it
// holds a message. The spans it ends after the signal (finishing the message, committing)
// must still reach the backend: telemetry is flushed last, by the application's
// shutdownTelemetry(), not at the signal. A flush that starts at the signal drops them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { before, describe, it } from 'node:test';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
// The test's oracle; telemetry's own code never reads traces back (decision 0004 lets
// test code use verification code and any layer).
import { TempoClient, waitForTrace, type StoredSpan } from '@mqtrace/trace-query';

const SERVICE = 'telemetry-shutdown-order-test';
const fixture = fileURLToPath(new URL('./testing-fixtures/finish-then-flush.ts', import.meta.url));

describe('shutting down a service started with @mqtrace/telemetry/register', () => {
  before(async () => {
    await assertStackReachable(['collector', 'tempo']);
  });

  it('delivers the spans the application ends after SIGTERM, before it exits', async () => {
    const child = spawn(process.execPath, [...process.execArgv.filter((arg) => !arg.startsWith('--test')), '--import', '@mqtrace/telemetry/register', fixture], {
      env: { ...process.env, OTEL_SERVICE_NAME: SERVICE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // 'close' rather than 'exit': it comes after the last line of stdout.
    const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Other lines may come first, e.g. the SDK's own logging when OTEL_LOG_LEVEL is set.
    const output: string[] = [];
    const traceIdLine = new Promise<string | undefined>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        output.push(line);
        const match = /^trace-id ([0-9a-f]{32})$/.exec(line);
        if (match) resolve(match[1]);
      });
      child.once('exit', () => resolve(undefined));
    });
    const traceId = await traceIdLine;
    assert.ok(traceId, `the fixture did not print its trace id:\n${output.join('\n')}\n${stderr}`);

    const signalledAtNs = BigInt(Date.now()) * 1_000_000n;
    child.kill('SIGTERM');
    const [code, signal] = await closed;
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, stderr);
    assert.ok(output.includes('flushed'), `${output.join('\n')}\n${stderr}`);

    const tempo = new TempoClient(stackEndpoints().tempoUrl);
    const names = (spans: StoredSpan[]) => spans.map((span) => span.name).sort();
    const spans = await waitForTrace(tempo, traceId, { until: (found) => found.length >= 3 });
    assert.ok(spans, `trace ${traceId} incomplete in Tempo; it has: ${names((await tempo.getTrace(traceId)) ?? []).join(', ') || 'nothing'}\n${stderr}`);
    assert.deepEqual(names(spans), ['commit offset', 'process message', 'receive message']);
    for (const span of spans) assert.equal(span.service, SERVICE);
    const message = spans.find((span) => span.name === 'process message')!;
    assert.ok(message.endTimeUnixNano > signalledAtNs, 'the message span was meant to end after SIGTERM');
  });
});
