/**
 * What tracing costs per Kafka message, with the global setup a service has (W3C trace
 * context + baggage propagator, AsyncLocalStorage context manager, SDK tracer provider):
 *  a) inject: `propagation.inject` into a fresh kafkajs-style headers object;
 *  b) extract + activate + restore: `propagation.extract` from a Buffer `traceparent`
 *     (as kafkajs delivers it), then `context.with` around a trivial synchronous handler;
 *  c) the library's consumer path, `processTraced`, with a BatchSpanProcessor whose
 *     exporter discards spans: span, attributes, extraction, activation, end, batching,
 *     but no network I/O;
 *  d) for comparison, the per-message wrapper of @opentelemetry/instrumentation-kafkajs.
 * Each case runs warm-up rounds, then timed rounds; a round's cost is its time divided
 * by its messages, and the figure printed is the MEDIAN round, so one round slowed by
 * garbage collection, the JIT or a noisy neighbour barely moves it (min and max show the
 * spread). Asynchronous paths are awaited one message at a time, as a consumer does.
 * Run with `npm run bench`; it prints figures and exits 0.
 */
import os from 'node:os';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { EachMessagePayload, KafkaMessage } from 'kafkajs';
import { headerGetter, headerSetter, processTraced, type MessageHeaders } from '../src/index.js';
import { recordFromKafkaJs } from '../src/kafkajs/index.js';
import { installGlobalTracing } from './global-tracing.js';
import { instrumentedEachMessage } from './instrumentation-kafkajs.js';
import { measure, type Measurement, type MeasureOptions } from './measure.js';

const OPTIONS: MeasureOptions = { warmupRounds: 3, rounds: 15, messages: 20_000 };
const TOPIC = 'orders';

/** A span exporter that counts the spans it is given and drops them: batching, no network I/O. */
class DiscardingExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.exported += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown = (): Promise<void> => Promise.resolve();
  forceFlush = (): Promise<void> => Promise.resolve();
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`benchmark setup is wrong: ${what}`);
}

function report(label: string, result: Measurement, targetMicros?: number): void {
  const figures = `${result.median.toFixed(3).padStart(7)} µs/msg  (rounds ${result.min.toFixed(3)}–${result.max.toFixed(3)})`;
  const target = targetMicros === undefined ? '' : `  target <= ${targetMicros} µs  ${result.median <= targetMicros ? 'ok' : 'over'}`;
  console.log(`${label.padEnd(38)}${figures}${target}`);
}

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} CPUs`);
console.log(`median of ${OPTIONS.rounds} rounds of ${OPTIONS.messages.toLocaleString('en')} messages, after ${OPTIONS.warmupRounds} warm-up rounds`);
console.log();

// Global setup, as a service has it.
const exporter = new DiscardingExporter();
const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
installGlobalTracing(provider);

// A sampled producer span, and a record carrying its context the way kafkajs hands it over.
const producerSpan = provider.getTracer('bench').startSpan(`send ${TOPIC}`);
const producer = producerSpan.spanContext();
const contextWithSpan = trace.setSpan(ROOT_CONTEXT, producerSpan);
const produced: MessageHeaders = {};
propagation.inject(contextWithSpan, produced, headerSetter);
check(produced['traceparent'] === `00-${producer.traceId}-${producer.spanId}-01`, 'inject wrote no sampled traceparent');
const message: KafkaMessage = {
  key: Buffer.from('order-42'),
  value: Buffer.from('{"orderId":42}'),
  timestamp: String(Date.now()),
  attributes: 0,
  offset: '1234',
  headers: { traceparent: Buffer.from(String(produced['traceparent'])) },
};
const record = recordFromKafkaJs(TOPIC, 3, message);
const payload: EachMessagePayload = { topic: TOPIC, partition: 3, message, heartbeat: () => Promise.resolve(), pause: () => () => undefined };

// Every path must really continue the producer's trace, or its figure means nothing.
const activeTraceId = (): string | undefined => trace.getSpanContext(context.active())?.traceId;
check(context.with(propagation.extract(ROOT_CONTEXT, record.headers, headerGetter), activeTraceId) === producer.traceId, 'extract lost the trace');
check((await processTraced(record, activeTraceId)) === producer.traceId, 'processTraced lost the trace');
let instrumented: ((payload: EachMessagePayload) => Promise<void>) | undefined;
let notInstrumented = '';
let instrumentedTraceId: string | undefined;
try {
  // The handler looks at the active trace on its first call only, so (d) times a trivial handler.
  let probe = true;
  instrumented = await instrumentedEachMessage(provider, () => {
    if (probe) [instrumentedTraceId, probe] = [activeTraceId(), false];
    return Promise.resolve();
  });
  await instrumented(payload);
  check(instrumentedTraceId === producer.traceId, 'instrumentation-kafkajs lost the trace');
} catch (error) {
  notInstrumented = error instanceof Error ? error.message : String(error);
  instrumented = undefined;
}

let sink = 0; // results are consumed so the JIT cannot drop the work
const trivial = (): number => 1;

report(
  'a) inject',
  await measure((messages) => {
    for (let i = 0; i < messages; i++) {
      const headers: MessageHeaders = {};
      propagation.inject(contextWithSpan, headers, headerSetter);
      sink += headers['traceparent']?.length ?? 0;
    }
  }, OPTIONS),
  2,
);

report(
  'b) extract + activate + restore',
  await measure((messages) => {
    for (let i = 0; i < messages; i++) sink += context.with(propagation.extract(ROOT_CONTEXT, record.headers, headerGetter), trivial);
  }, OPTIONS),
  2,
);

producerSpan.end();
await provider.forceFlush();
const casesWithSpans = OPTIONS.warmupRounds + OPTIONS.rounds;

exporter.exported = 0;
report(
  'c) processTraced (BatchSpanProcessor)',
  await measure(async (messages) => {
    for (let i = 0; i < messages; i++) sink += await processTraced(record, trivial, { consumerGroup: 'bench' });
  }, OPTIONS),
  15,
);
await provider.forceFlush();
console.log(`   spans exported: ${exporter.exported.toLocaleString('en')} of ${(casesWithSpans * OPTIONS.messages).toLocaleString('en')}`);

const eachMessage = instrumented;
if (eachMessage) {
  exporter.exported = 0;
  report(
    'd) instrumentation-kafkajs eachMessage',
    await measure(async (messages) => {
      for (let i = 0; i < messages; i++) await eachMessage(payload);
    }, OPTIONS),
  );
  await provider.forceFlush();
  console.log(`   spans exported: ${exporter.exported.toLocaleString('en')} of ${(casesWithSpans * OPTIONS.messages).toLocaleString('en')}`);
  console.log('   (its own wrapper on a stand-in kafkajs module, same provider; metrics go to the no-op meter)');
} else {
  console.log(`d) instrumentation-kafkajs: not measured — its per-message wrapper could not be driven without a broker (${notInstrumented})`);
}

await provider.shutdown();
if (sink === 0) console.log('(no work was done)');
