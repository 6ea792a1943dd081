/**
 * What tracing costs in throughput through the real broker: 50,000 small messages
 * produced and consumed through the native Kafka (one fresh topic of 6 partitions, one
 * consumer group per run), (a) untraced, (b) with this library, (c) with
 * `@opentelemetry/instrumentation-kafkajs`; (b) and (c) on the same SDK, exporting
 * through a BatchSpanProcessor to the real collector. The per-message benchmark
 * (propagation.bench.ts) isolates the tracing code; this one shows what is left of it
 * next to the client, the broker and the export, which is what a service sees.
 *
 * Each run is a child process of its own (broker-throughput.run.ts, which says exactly
 * what is timed): the instrumentation patches kafkajs through require hooks, so a fresh
 * process per run keeps the modes from touching each other, and every run starts from
 * the same cold state. Runs are interleaved, one of each mode per round with the order
 * rotating, after one untimed round that warms the broker; the figure kept per mode is
 * the median over the rounds, so drift and a noisy neighbour hit all modes alike.
 * Per run: produce msg/s (N / produce time), consume msg/s (N / consume time), and
 * total msg/s (N / both times: the rate at which the pipeline moves N messages from
 * producer to handler), and the CPU time of the process per message in each phase (user +
 * system, all threads: less disturbed by other load than wall time, and it shows where a
 * mode's cost is). The two ratio lines at the end are of the median totals; the line
 * before them compares the median CPU per message. This prints figures; it
 * asserts nothing about them (the setup is checked: a traced run must carry the
 * producer's trace to the consumer and make exactly its two spans per message).
 *
 * Needs Kafka and the collector (`npm run stack:up`); fails at once when they are not
 * reachable. BENCH_CPU_PROF=<dir> writes V8 CPU profiles of the timed phases of every run
 * into <dir> (`<round>-<mode>-produce|consume.cpuprofile`, for Chrome DevTools or
 * speedscope); the profiler slows the runs, so their figures are not the benchmark's.
 */
import { fork } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertStackReachable } from '@mqtrace/config';
import { median } from './measure.js';
import type { Mode, RunResult, RunSettings, SpanCounts } from './broker-throughput.run.js';

const MESSAGES = 50_000;
const WARMUP_MESSAGES = 5_000;
const BATCH_SIZE = 500;
const PARTITIONS = 6;
const ROUNDS = 3;
const RUN_TIMEOUT_MS = 120_000;
const MODES: readonly Mode[] = ['untraced', 'library', 'instrumentation-kafkajs'];
const RUN_FILE = fileURLToPath(new URL('./broker-throughput.run.ts', import.meta.url));
const profileDir = process.env['BENCH_CPU_PROF'];

/** Runs one mode in a fresh process (same Node flags as this one) and returns its result. */
function runOnce(mode: Mode, label: string): Promise<RunResult> {
  const settings: RunSettings = {
    mode,
    messages: MESSAGES,
    warmupMessages: WARMUP_MESSAGES,
    batchSize: BATCH_SIZE,
    partitions: PARTITIONS,
    profileDir: profileDir && path.resolve(profileDir),
    label,
  };
  // Every mode loads src/kafkajs (the run imports it), so kafkajs' idle connections do not
  // poll in any of them (idle-request-queue.ts). The warning kafkajs' re-armed check would
  // cause is not printed should it come back.
  const execArgv = [...process.execArgv, '--disable-warning=TimeoutNegativeWarning'];
  const child = fork(RUN_FILE, [JSON.stringify(settings)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: RunResult | undefined;
    const timer = setTimeout(() => child.kill(), RUN_TIMEOUT_MS);
    child.on('message', (message) => void (result = message as RunResult));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result && code === 0) resolve(result);
      else reject(new Error(`${mode} run ${label} failed (${signal ? `killed by ${signal}` : `exit code ${String(code)}`}); its error is above`));
    });
  });
}

const rate = (messages: number, ms: number): number => messages / (ms / 1000);
const produceRate = (run: RunResult): number => rate(run.messages, run.produceMs);
const consumeRate = (run: RunResult): number => rate(run.messages, run.consumeMs);
const totalRate = (run: RunResult): number => rate(run.messages, run.produceMs + run.consumeMs);
const produceCpu = (run: RunResult): number => (run.produceCpuMs * 1000) / run.messages;
const consumeCpu = (run: RunResult): number => (run.consumeCpuMs * 1000) / run.messages;
const int = (value: number): string => Math.round(value).toLocaleString('en');
const micros = (value: number): string => value.toFixed(1);
const sum = (runs: readonly RunResult[], count: (run: RunResult) => number): number => runs.reduce((total, run) => total + count(run), 0);

/** Dropped (and failed) spans of some runs, per phase; empty for untraced runs. */
function spansNote(runs: readonly RunResult[]): string {
  const ended = sum(runs, (run) => run.produceSpans.ended + run.consumeSpans.ended);
  if (ended === 0) return '';
  const phase = (counts: (run: RunResult) => SpanCounts): string =>
    `${int(sum(runs, (run) => counts(run).dropped))} of ${int(sum(runs, (run) => counts(run).ended))}`;
  const failed = sum(runs, (run) => run.produceSpans.failed + run.consumeSpans.failed);
  return `spans dropped: produce ${phase((run) => run.produceSpans)}, consume ${phase((run) => run.consumeSpans)}${failed > 0 ? `; export FAILED for ${int(failed)}` : ''}`;
}

function printRun(label: string, run: RunResult): void {
  console.log(
    `${label.padEnd(9)}${run.mode.padEnd(25)}produce ${int(produceRate(run)).padStart(7)}  consume ${int(consumeRate(run)).padStart(7)}  ` +
      `total ${int(totalRate(run)).padStart(7)} msg/s  cpu ${micros(produceCpu(run) + consumeCpu(run)).padStart(5)} µs/msg  ${spansNote([run])}`.trimEnd(),
  );
}

await assertStackReachable(['kafka', 'collector']);
if (profileDir) {
  await mkdir(profileDir, { recursive: true });
  console.log(`CPU profiles of the timed phases go to ${path.resolve(profileDir)}; profiled runs are slower, their figures are not comparable`);
}
console.log();
const load = (): string => os.loadavg().map((value) => value.toFixed(2)).join(' ');
console.log(`broker throughput: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} CPUs, load average ${load()}`);
console.log(
  `${MESSAGES.toLocaleString('en')} messages per run (after ${WARMUP_MESSAGES.toLocaleString('en')} untimed), sends of ${BATCH_SIZE}, ` +
    `${PARTITIONS} partitions, eachMessage; ${ROUNDS} rounds after 1 warm-up round, one process per run`,
);
console.log();

const results = new Map<Mode, RunResult[]>(MODES.map((mode) => [mode, []]));
for (let round = 0; round <= ROUNDS; round++) {
  const label = round === 0 ? 'warm-up' : `round ${round}`;
  // Rotate the order, so no mode always runs right after the same other one.
  const order = MODES.map((_, index) => MODES[(index + round) % MODES.length] as Mode);
  for (const mode of order) {
    const result = await runOnce(mode, round === 0 ? 'warmup' : `round${round}`);
    printRun(label, result);
    if (round > 0) results.get(mode)?.push(result);
  }
}

console.log();
console.log(
  `${`median of ${ROUNDS} rounds`.padEnd(25)}${'produce'.padStart(8)}${'consume'.padStart(9)}${'total'.padStart(9)} msg/s` +
    `   cpu µs/msg: produce consume   (spans dropped over the ${ROUNDS} rounds)`,
);
const medianTotal = new Map<Mode, number>();
const medianCpu = new Map<Mode, number>();
for (const mode of MODES) {
  const runs = results.get(mode) ?? [];
  medianTotal.set(mode, median(runs.map(totalRate)));
  medianCpu.set(mode, median(runs.map((run) => produceCpu(run) + consumeCpu(run))));
  console.log(
    `${mode.padEnd(25)}${int(median(runs.map(produceRate))).padStart(8)}${int(median(runs.map(consumeRate))).padStart(9)}` +
      `${int(medianTotal.get(mode) ?? Number.NaN).padStart(9)}${''.padEnd(21)}${micros(median(runs.map(produceCpu))).padStart(7)}` +
      `${micros(median(runs.map(consumeCpu))).padStart(8)}   ${spansNote(runs)}`.trimEnd(),
  );
}
console.log(`(load average at the end ${load()})`);
const ratio = (a: Mode, b: Mode, of = medianTotal): string => ((of.get(a) ?? Number.NaN) / (of.get(b) ?? Number.NaN)).toFixed(2);
console.log();
console.log(`cpu per message (produce + consume), times untraced: library ${ratio('library', 'untraced', medianCpu)}, instrumentation-kafkajs ${ratio('instrumentation-kafkajs', 'untraced', medianCpu)}`);
console.log(`ratio traced/untraced = ${ratio('library', 'untraced')}`);
console.log(`ratio library/instrumentation-kafkajs = ${ratio('library', 'instrumentation-kafkajs')}`);
