/**
 * One run of the broker throughput benchmark, in a process of its own, started by
 * broker-throughput.bench.ts with the run's settings as a JSON argument; it reports a
 * {@link RunResult} over the IPC channel and exits.
 *
 * The mode decides what tracing the process has, and nothing else differs:
 *  - `untraced`: no SDK, no propagator, no context manager; plain kafkajs.
 *  - `library`: this library on a real SDK. Producing is
 *    `sendTraced(kafkaJsSender(producer), topic, batch)`; consuming is
 *    `processTraced(recordFromKafkaJs(topic, partition, message), handler, { consumerGroup })`
 *    in `eachMessage`: one CONSUMER span per record. That is the per-record span path the
 *    kafkajs adapters in src/kafkajs run every record through as well (via the retry
 *    logic); their retry and hand-off bookkeeping on top of it is not measured here.
 *  - `instrumentation-kafkajs`: the same SDK with `@opentelemetry/instrumentation-kafkajs`
 *    enabled before kafkajs is required (it patches through require hooks), and the same
 *    plain kafkajs calls as `untraced`: its `send` patch makes one PRODUCER span per
 *    message and injects, its `eachMessage` patch one CONSUMER span per record, a child
 *    of the extracted context. That is the same span shape as the library's default
 *    (`consumerParent: 'parent'`). (Its `eachBatch` patch has another shape, a `poll` span
 *    plus linked `process` spans, so `eachMessage` is what is compared.)
 * Both traced modes export with the settings of libs/telemetry: BatchSpanProcessor
 * (queue 4096, batches of 512, 1 s delay) into the OTLP/HTTP protobuf exporter, to the
 * real collector.
 *
 * What is timed, on a fresh topic with several partitions and one consumer group: after
 * an untimed warm-up (produce and consume a few thousand messages, so the JIT, the
 * connections and the span pipeline are warm), the consumer is paused and
 *  1. produce: N messages in batches, one `send` awaited at a time, then
 *     `provider.forceFlush()`;
 *  2. consume: the consumer is resumed; from the first timed record reaching the handler
 *     until the N-th has been handled, then `provider.forceFlush()`.
 * The flush is inside each phase so every span a phase made is paid for in that phase
 * (at most one queue of 4,096 spans is pending at its end). Spans the processor drops
 * because its queue is full cost almost nothing, so they would flatter a traced mode:
 * they are counted per phase (ended minus exported minus failed) and reported.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type * as KafkaJs from 'kafkajs';
import { stackEndpoints } from '@mqtrace/config';
import { headerText, processTraced, sendTraced, type OutgoingMessage } from '../src/index.js';
import { kafkaJsSender, recordFromKafkaJs } from '../src/kafkajs/index.js';
import { installGlobalTracing } from './global-tracing.js';

/** What tracing a run has (see above). */
export type Mode = 'untraced' | 'library' | 'instrumentation-kafkajs';

/** Settings of one run, passed by the orchestrator as JSON in `argv[2]`. */
export interface RunSettings {
  readonly mode: Mode;
  /** Timed messages, produced then consumed. */
  readonly messages: number;
  /** Untimed messages produced and consumed first. */
  readonly warmupMessages: number;
  /** Messages per `send`. */
  readonly batchSize: number;
  readonly partitions: number;
  /** When set, V8 CPU profiles of the two timed phases are written into this directory. */
  readonly profileDir?: string | undefined;
  /** Names the profile files, e.g. `round1`. */
  readonly label: string;
}

/** What a phase's spans became, counted after its closing flush. */
export interface SpanCounts {
  readonly ended: number;
  readonly exported: number;
  /** Rejected by the exporter (collector unreachable or refusing). */
  readonly failed: number;
  /** Dropped by the BatchSpanProcessor because its queue was full. */
  readonly dropped: number;
}

/** The result of one run; times in milliseconds. */
export interface RunResult {
  readonly mode: Mode;
  readonly messages: number;
  readonly produceMs: number;
  readonly consumeMs: number;
  /** CPU time (user + system, all threads) of this process in each phase. */
  readonly produceCpuMs: number;
  readonly consumeCpuMs: number;
  readonly produceSpans: SpanCounts;
  readonly consumeSpans: SpanCounts;
  /** Ended spans per instrumentation scope over the whole run (warm-up included). */
  readonly spansByScope: Readonly<Record<string, number>>;
}

/** Counts the spans that end, per instrumentation scope. */
class EndedSpans implements SpanProcessor {
  total = 0;
  readonly byScope = new Map<string, number>();
  onStart(): void {
    // counted when they end
  }
  onEnd(span: ReadableSpan): void {
    this.total++;
    const scope = span.instrumentationScope.name;
    this.byScope.set(scope, (this.byScope.get(scope) ?? 0) + 1);
  }
  forceFlush = (): Promise<void> => Promise.resolve();
  shutdown = (): Promise<void> => Promise.resolve();
}

/**
 * Passes spans to the real exporter and counts what it accepted and what it refused.
 * `settled()` waits for the exports in flight: `forceFlush` only covers the spans still
 * queued, not a batch the processor's own timer already handed over.
 */
class CountingExporter implements SpanExporter {
  exported = 0;
  failed = 0;
  private inFlight = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inFlight++;
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.exported += spans.length;
      else this.failed += spans.length;
      if (--this.inFlight === 0) for (const resolve of this.waiting.splice(0)) resolve();
      done(result);
    });
  }
  settled(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** The SDK of a traced run, and its counters. */
interface Sdk {
  /** Exports every ended span; what could not be delivered is counted as failed, not thrown. */
  flush(): Promise<void>;
  /** Counts since `counts()` was last called; call after `flush()`. */
  counts(): SpanCounts;
  readonly byScope: ReadonlyMap<string, number>;
  shutdown(): Promise<void>;
}

function startSdk(otlpEndpoint: string): Sdk {
  const ended = new EndedSpans();
  const exporter = new CountingExporter(new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces`, timeoutMillis: 5_000 }));
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'kafka-tracing-bench' }),
    spanProcessors: [ended, new BatchSpanProcessor({ exporter, maxQueueSize: 4096, maxExportBatchSize: 512, scheduledDelayMillis: 1_000 })],
  });
  installGlobalTracing(provider);
  let last = { ended: 0, exported: 0, failed: 0 };
  return {
    flush: async () => {
      await provider.forceFlush().catch(() => undefined);
      await exporter.settled();
    },
    counts: () => {
      const now = { ended: ended.total, exported: exporter.exported, failed: exporter.failed };
      const delta = { ended: now.ended - last.ended, exported: now.exported - last.exported, failed: now.failed - last.failed };
      last = now;
      return { ...delta, dropped: delta.ended - delta.exported - delta.failed };
    },
    byScope: ended.byScope,
    shutdown: () => provider.shutdown().catch(() => undefined),
  };
}

const NO_SPANS: SpanCounts = { ended: 0, exported: 0, failed: 0, dropped: 0 };
const untracedSdk: Sdk = { flush: () => Promise.resolve(), counts: () => NO_SPANS, byScope: new Map(), shutdown: () => Promise.resolve() };

/**
 * Starts the V8 profiler when a directory is given; the returned function stops it and
 * writes `<dir>/<name>.cpuprofile`. Only the timed phases are profiled, not start-up.
 */
async function phaseProfiler(dir: string | undefined): Promise<(name: string) => Promise<void>> {
  if (!dir) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (name) => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    await session.post('Profiler.start');
  };
}

const cpuMs = ({ user, system }: NodeJS.CpuUsage): number => (user + system) / 1000;

function fail(message: string): never {
  throw new Error(`broker throughput run: ${message}`);
}

/** Small messages with distinct keys (spread over the partitions by the default partitioner). */
function batchOf(first: number, count: number): OutgoingMessage[] {
  return Array.from({ length: count }, (_, index) => {
    const id = first + index;
    return { key: `order-${id}`, value: `{"orderId":${id},"amountCents":${(id % 997) * 100},"currency":"EUR"}` };
  });
}

async function run(settings: RunSettings): Promise<RunResult> {
  const { mode, messages, warmupMessages, batchSize, partitions, profileDir, label } = settings;
  const endpoints = stackEndpoints();
  const sdk = mode === 'untraced' ? untracedSdk : startSdk(endpoints.otlpEndpoint);
  const disableInstrumentation =
    mode === 'instrumentation-kafkajs' ? registerInstrumentations({ instrumentations: [new KafkaJsInstrumentation()] }) : () => undefined;

  // kafkajs is CommonJS: required only now, through require(), so the instrumentation's
  // require hook sees it in `instrumentation-kafkajs` mode. Every mode loads it the same way.
  const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs') as typeof KafkaJs;

  const suffix = randomBytes(4).toString('hex');
  const topic = `bench.throughput.${suffix}`;
  const groupId = `bench.throughput.${mode}.${suffix}`;
  const kafka = new Kafka({ clientId: `bench-${mode}`, brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });

  const producer = kafka.producer();
  // maxWaitTimeInMs only bounds the idle wait of a fetch loop (it sleeps that long while
  // every partition is paused); with records available a fetch returns at once.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await Promise.all([producer.connect(), consumer.connect()]);
  const sender = kafkaJsSender(producer);
  const send = (batch: OutgoingMessage[]): Promise<unknown> =>
    mode === 'library' ? sendTraced(sender, topic, batch) : producer.send({ topic, messages: batch as KafkaJs.Message[] });

  // The handler counts; on the first timed record it notes what tracing it sees.
  let consumed = 0;
  let valueBytes = 0;
  let firstTimedAt = 0;
  let firstTimedCpu = process.cpuUsage();
  let probe: { header?: string | undefined; active?: string | undefined } = {};
  let target = Number.POSITIVE_INFINITY;
  let reached: (() => void) | undefined;
  const handle = (message: KafkaJs.KafkaMessage): void => {
    if (consumed === warmupMessages) {
      firstTimedAt = performance.now();
      firstTimedCpu = process.cpuUsage();
      probe = { header: headerText(message.headers?.['traceparent']), active: trace.getActiveSpan()?.spanContext().traceId };
    }
    consumed++;
    valueBytes += message.value?.length ?? 0;
    if (consumed === target) reached?.();
  };
  // Resolves once `count` records were handled and the last one's span has ended (the
  // handler returns before its wrapper ends the span; setImmediate lets that happen).
  const consumedAll = async (count: number): Promise<void> => {
    if (consumed < count) {
      target = count;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${consumed} of ${count} messages consumed after 60 s`)), 60_000);
        reached = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
  };

  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage:
      mode === 'library'
        ? async ({ topic: from, partition, message }) => {
            await processTraced(recordFromKafkaJs(from, partition, message), () => handle(message), { consumerGroup: groupId });
          }
        : async ({ message }) => handle(message),
  });
  await joined;

  // Warm-up, untimed.
  for (let sent = 0; sent < warmupMessages; sent += batchSize) await send(batchOf(sent, Math.min(batchSize, warmupMessages - sent)));
  await consumedAll(warmupMessages);
  await sdk.flush();
  sdk.counts();
  consumer.pause([{ topic }]);

  // 1. Produce.
  const profiled = await phaseProfiler(profileDir);
  const produceStart = performance.now();
  const produceStartCpu = process.cpuUsage();
  for (let sent = 0; sent < messages; sent += batchSize) {
    await send(batchOf(warmupMessages + sent, Math.min(batchSize, messages - sent)));
  }
  await sdk.flush();
  const produceMs = performance.now() - produceStart;
  const produceCpuMs = cpuMs(process.cpuUsage(produceStartCpu));
  const produceSpans = sdk.counts();
  await profiled(`${label}-${mode}-produce`);
  if (consumed !== warmupMessages) fail(`the paused consumer handled ${consumed - warmupMessages} timed messages early`);

  // 2. Consume.
  consumer.resume([{ topic }]);
  await consumedAll(warmupMessages + messages);
  await sdk.flush();
  const consumeMs = performance.now() - firstTimedAt;
  const consumeCpuMs = cpuMs(process.cpuUsage(firstTimedCpu));
  const consumeSpans = sdk.counts();
  await profiled(`${label}-${mode}-consume`);

  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  disableInstrumentation();
  await sdk.shutdown();

  // Every figure must come from the mode it is labelled with.
  if (consumed !== warmupMessages + messages) fail(`consumed ${consumed}, expected ${warmupMessages + messages}`);
  if (valueBytes === 0) fail('no payload was read');
  const producerTrace = probe.header?.split('-')[1];
  if (mode === 'untraced') {
    if (probe.header !== undefined || probe.active !== undefined) fail('an untraced run carried trace context');
  } else if (producerTrace === undefined || probe.active !== producerTrace) {
    fail(`the consumer did not continue the producer's trace (traceparent ${probe.header ?? 'missing'}, active trace ${probe.active ?? 'none'})`);
  }
  const spansByScope = Object.fromEntries(sdk.byScope);
  const expectedScope = mode === 'library' ? '@mqtrace/kafka-tracing' : '@opentelemetry/instrumentation-kafkajs';
  const total = 2 * (warmupMessages + messages);
  if (mode !== 'untraced' && (spansByScope[expectedScope] !== total || Object.keys(spansByScope).length !== 1)) {
    fail(`expected ${total} spans from ${expectedScope} only, got ${JSON.stringify(spansByScope)}`);
  }
  return { mode, messages, produceMs, consumeMs, produceCpuMs, consumeCpuMs, produceSpans, consumeSpans, spansByScope };
}

const settings = JSON.parse(process.argv[2] ?? 'null') as RunSettings | null;
if (!settings || !process.send) {
  console.error('broker-throughput.run.ts is started by broker-throughput.bench.ts (run `npm run bench`)');
  process.exit(2);
}
const result = await run(settings);
process.send(result, () => process.exit(0));
