/**
 * What an idle kafkajs connection costs, as released (2.2.4) and with
 * `quietIdleRequestQueues()` (src/kafkajs/idle-request-queue.ts): kafkajs re-arms a 1 ms
 * timer on every connection after its first response, for as long as it is open. A
 * service holds several connections (consumer, group coordinator, producer, admin
 * probes), and five services share this two-core machine with Kafka and the collectors.
 *
 * Each run is a process of its own (this file, started again with `--run <mode>`): it
 * opens a producer and an admin client against the native Kafka, sends one metadata
 * request on each, waits 1 s, then measures over IDLE_SECONDS with nothing to do: the
 * process's CPU time (user + system) and the share of the time its event loop was busy
 * (`performance.eventLoopUtilization()`). Modes alternate over ROUNDS; the median per
 * mode is printed. It asserts nothing.
 *
 * Needs Kafka (`npm run stack:up`).
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { median } from './measure.js';

type Mode = 'kafkajs 2.2.4 as released' | 'with quietIdleRequestQueues()';
const MODES: readonly Mode[] = ['kafkajs 2.2.4 as released', 'with quietIdleRequestQueues()'];
const IDLE_SECONDS = 5;
const ROUNDS = 3;

interface IdleResult {
  /** CPU time of the process per idle second, in ms. */
  readonly cpuMsPerSecond: number;
  /** Share of the idle time the event loop spent running callbacks, in %. */
  readonly loopActivePercent: number;
}

/** One run: connections opened, then watched while idle. */
async function run(mode: Mode): Promise<IdleResult> {
  if (mode === 'with quietIdleRequestQueues()') {
    const { quietIdleRequestQueues } = await import('../src/kafkajs/idle-request-queue.js');
    quietIdleRequestQueues();
  }
  const kafka = new Kafka({ clientId: 'idle-bench', brokers: [...stackEndpoints().kafkaBrokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  await admin.describeCluster();
  await admin.fetchTopicMetadata();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const cpuFrom = process.cpuUsage();
  const loopFrom = performance.eventLoopUtilization();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1_000));
  const cpu = process.cpuUsage(cpuFrom);
  const loop = performance.eventLoopUtilization(loopFrom);
  await Promise.all([producer.disconnect(), admin.disconnect()]);
  return { cpuMsPerSecond: (cpu.user + cpu.system) / 1_000 / IDLE_SECONDS, loopActivePercent: loop.utilization * 100 };
}

function runInChild(mode: Mode): Promise<IdleResult> {
  const execArgv = [...process.execArgv, '--disable-warning=TimeoutNegativeWarning'];
  const child = fork(fileURLToPath(import.meta.url), ['--run', mode], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: IdleResult | undefined;
    child.on('message', (message) => void (result = message as IdleResult));
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${mode} run failed (exit ${String(code)})`))));
  });
}

const runIndex = process.argv.indexOf('--run');
if (runIndex >= 0) {
  const result = await run(process.argv[runIndex + 1] as Mode);
  process.send?.(result);
} else {
  await assertStackReachable(['kafka']);
  const results = new Map<Mode, IdleResult[]>(MODES.map((mode) => [mode, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) results.get(mode)?.push(await runInChild(mode));
  }
  console.log(`Idle kafkajs clients (a producer and an admin client, connected, then ${IDLE_SECONDS} s with nothing to do; median of ${ROUNDS} runs):`);
  for (const [mode, runs] of results) {
    const cpu = median(runs.map((one) => one.cpuMsPerSecond));
    const loop = median(runs.map((one) => one.loopActivePercent));
    console.log(`  ${mode.padEnd(30)} CPU ${cpu.toFixed(1).padStart(6)} ms per second   event loop busy ${loop.toFixed(1).padStart(5)} %`);
  }
}
