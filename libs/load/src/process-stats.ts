import { readdir, readFile } from 'node:fs/promises';

/** Linux's clock ticks per second for /proc CPU times (USER_HZ; 100 on every mainstream build). */
const TICKS_PER_SECOND = 100;

/** What a process used while it was watched. */
export interface ProcessUsage {
  readonly name: string;
  readonly pid: number;
  /** Highest resident set size seen, MiB. */
  readonly maxRssMiB: number;
  /** CPU time over wall time while watched, % of one core. */
  readonly cpuPercent: number;
}

/** Finds the services' processes: the Node processes running `apps/<name>/src/main.ts`. */
export function findServiceProcesses(names: readonly string[]): Promise<Map<string, number>> {
  return findProcesses(Object.fromEntries(names.map((name) => [name, (arg: string) => arg.endsWith(`apps/${name}/src/main.ts`)])));
}

/** A word of each native stack component's command line (the ones `stack.sh` checks). */
const STACK_COMMAND_WORDS: Readonly<Record<string, string>> = { kafka: 'kafka.Kafka', tempo: 'tempo.yaml', jaeger: 'jaeger/config.yaml', 'otelcol-sampler': 'sampler.yaml', 'otelcol-gateway': 'gateway.yaml' };

/**
 * Finds the native stack's processes (Kafka, Tempo, Jaeger, the collectors) that run.
 * A component that runs more than once (the two tail-sampling instances) is numbered in
 * the order of its pids, as `stack.sh` starts them: `otelcol-sampler-1`, `otelcol-sampler-2`.
 */
export async function findStackProcesses(): Promise<Map<string, number>> {
  const found = await findAllProcesses(Object.fromEntries(Object.entries(STACK_COMMAND_WORDS).map(([name, word]) => [name, (arg: string) => arg.endsWith(word)])));
  return new Map([...found].flatMap(([name, pids]) => (pids.length === 1 ? [[name, pids[0] ?? 0] as const] : pids.map((pid, index) => [`${name}-${index + 1}`, pid] as const))));
}

/** The first process whose command line has an argument `matches` accepts, by name. */
async function findProcesses(matchers: Readonly<Record<string, (arg: string) => boolean>>): Promise<Map<string, number>> {
  const found = await findAllProcesses(matchers);
  return new Map([...found].map(([name, pids]) => [name, pids[0] ?? 0]));
}

/** Every process whose command line has an argument a matcher accepts, by name, pids ascending. */
async function findAllProcesses(matchers: Readonly<Record<string, (arg: string) => boolean>>): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((entry) => /^\d+$/.test(entry)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    const commandLine = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const name = Object.keys(matchers).find((one) => commandLine.some((arg) => matchers[one]?.(arg)));
    if (name) found.set(name, [...(found.get(name) ?? []), pid]);
  }
  return found;
}

async function sample(pid: number): Promise<{ cpuTicks: number; rssKiB: number } | undefined> {
  try {
    // Fields after the command name (which may hold spaces), so split after its ')'.
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return { cpuTicks: Number(stat[11]) + Number(stat[12]), rssKiB };
  } catch {
    return undefined;
  }
}

/**
 * Samples the processes every `intervalMs` until `stop()` is called, which resolves
 * with each one's peak RSS and average CPU. A process that exits is reported up to then.
 */
export function watchProcesses(processes: ReadonlyMap<string, number>, intervalMs = 500): { readonly firstSample: Promise<void>; stop(): Promise<ProcessUsage[]> } {
  const state = new Map([...processes].map(([name, pid]) => [name, { pid, firstTicks: undefined as number | undefined, lastTicks: 0, maxRssKiB: 0 }]));
  const startedAt = Date.now();
  const tick = async () => {
    await Promise.all(
      [...state.values()].map(async (one) => {
        const now = await sample(one.pid);
        if (!now) return;
        one.firstTicks ??= now.cpuTicks;
        one.lastTicks = now.cpuTicks;
        one.maxRssKiB = Math.max(one.maxRssKiB, now.rssKiB);
      }),
    );
  };
  const firstSample = tick();
  const timer = setInterval(() => void tick(), intervalMs);
  return {
    /** Settles once the first reading is taken: what CPU use is counted from. */
    firstSample,
    async stop() {
      clearInterval(timer);
      await tick();
      const seconds = (Date.now() - startedAt) / 1000;
      return [...state].map(([name, one]) => ({
        name,
        pid: one.pid,
        maxRssMiB: Math.round(one.maxRssKiB / 102.4) / 10,
        cpuPercent: Math.round(((one.lastTicks - (one.firstTicks ?? one.lastTicks)) / TICKS_PER_SECOND / seconds) * 1000) / 10,
      }));
    },
  };
}
