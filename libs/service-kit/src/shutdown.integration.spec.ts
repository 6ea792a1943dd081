import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { sendTraced } from '@mqtrace/kafka-tracing';
import { kafkaJsSender } from '@mqtrace/kafka-tracing/kafkajs';
import { installInMemoryTracing } from '@mqtrace/kafka-tracing/testing';
import { TempoClient, waitForTrace } from '@mqtrace/trace-query';

// SIGTERM while a Kafka service holds a record: it finishes the record, commits its offset,
// flushes the record's spans and exits 0, well inside the 10 s budget.
const tracing = installInMemoryTracing();
const endpoints = stackEndpoints();
const kafka = new Kafka({ clientId: 'shutdown-it', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const suffix = randomBytes(4).toString('hex');
const TOPIC = `it.shutdown.${suffix}`;
const GROUP = `it-shutdown-${suffix}`;
const fixture = fileURLToPath(new URL('./testing-fixtures/slow-consumer-service.ts', import.meta.url));

describe('exitGracefullyOnSignals in a NestJS Kafka service', () => {
  let admin: Admin;
  before(async () => {
    await assertStackReachable(['kafka', 'collector', 'tempo']);
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true });
  });
  after(async () => {
    await admin?.disconnect();
    await tracing.shutdown();
  });

  it('finishes the record in hand, commits, flushes its spans, then exits 0', async () => {
    const child = spawn(process.execPath, [...process.execArgv.filter((arg) => !arg.startsWith('--test')), '--import', '@mqtrace/telemetry/register', fixture], {
      env: { ...process.env, OTEL_SERVICE_NAME: 'shutdown-fixture', FIXTURE_TOPIC: TOPIC, FIXTURE_GROUP: GROUP, FIXTURE_HANDLER_MS: '1500' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    const output: string[] = [];
    const lineArrived = (wanted: string) =>
      new Promise<void>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.on('line', (line) => {
          output.push(line);
          if (line === wanted) resolve();
        });
        child.once('exit', () => reject(new Error(`exited before "${wanted}":\n${output.join('\n')}`)));
      });
    const started = lineArrived('started 0');

    const producer = kafka.producer();
    await producer.connect();
    const root = trace.getTracer('it').startSpan('POST /orders', {}, ROOT_CONTEXT);
    await context.with(trace.setSpan(ROOT_CONTEXT, root), () => sendTraced(kafkaJsSender(producer), TOPIC, [{ key: 'o-1', value: '{}' }]));
    root.end();
    await producer.disconnect();

    await started;
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const [code, signal] = await closed;
    const tookMs = Date.now() - signalledAt;

    assert.deepEqual({ code, signal }, { code: 0, signal: null }, output.join('\n'));
    assert.ok(tookMs < 10_000, `shutdown took ${tookMs} ms`);
    const order = ['started 0', 'finished 0', 'shutdown: closed, flushing spans', 'shutdown: done'].map((line) => output.indexOf(line));
    assert.ok(order.every((index, position) => index >= 0 && (position === 0 || index > order[position - 1]!)), `steps out of order:\n${output.join('\n')}`);

    const [offsets] = await admin.fetchOffsets({ groupId: `${GROUP}-server`, topics: [TOPIC] });
    assert.equal(offsets?.partitions[0]?.offset, '1', 'the record in hand was committed');

    const stored = await waitForTrace(new TempoClient(endpoints.tempoUrl), root.spanContext().traceId, { until: (spans) => spans.some((span) => span.name === `process ${TOPIC}`) });
    const consumer = stored?.find((span) => span.name === `process ${TOPIC}`);
    assert.ok(consumer, 'the span of the record finished during shutdown reached Tempo');
    assert.equal(consumer.service, 'shutdown-fixture');
    assert.ok(consumer.endTimeUnixNano > BigInt(signalledAt) * 1_000_000n, 'it ended after the signal');
  });
});
