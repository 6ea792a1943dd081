/**
 * Timing for the propagation benchmark: warm-up rounds, then timed rounds of a fixed
 * number of messages; the figure kept is the median of the per-round averages. The
 * broker throughput benchmark takes its medians from here too.
 */

/** How many rounds of how many messages a case runs. */
export interface MeasureOptions {
  /** Untimed rounds first, so the JIT has compiled the hot path. */
  readonly warmupRounds: number;
  /** Timed rounds; the median of their per-message averages is the result. */
  readonly rounds: number;
  /** Messages per round. */
  readonly messages: number;
}

/** Per-message cost of one case in microseconds: the median round, and the spread. */
export interface Measurement {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Times `round(messages)` (which processes that many messages, awaiting each one if it
 * is asynchronous) and returns the per-message cost in microseconds.
 */
export async function measure(round: (messages: number) => void | Promise<void>, { warmupRounds, rounds, messages }: MeasureOptions): Promise<Measurement> {
  for (let i = 0; i < warmupRounds; i++) await round(messages);
  const perMessage: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await round(messages);
    perMessage.push(Number(process.hrtime.bigint() - start) / messages / 1000);
  }
  return { median: median(perMessage), min: Math.min(...perMessage), max: Math.max(...perMessage) };
}

/** Middle value of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (index: number): number => sorted[index] ?? Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}
