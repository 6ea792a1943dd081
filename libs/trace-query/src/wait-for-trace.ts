import type { StoredSpan } from './stored-span.js';
import type { TraceStore } from './trace-store.js';

/** Options for {@link waitForTrace}. */
export interface WaitForTraceOptions {
  /** Give up after this long; default 60 s (tail sampling alone waits a few seconds). */
  readonly timeoutMs?: number;
  /** Time between polls; default 500 ms. */
  readonly intervalMs?: number;
  /** Keep polling until the trace satisfies this, e.g. "has 3 spans"; default: any span. */
  readonly until?: (spans: StoredSpan[]) => boolean;
}

/**
 * Polls a backend until it returns the trace (spans arrive after batching, tail
 * sampling and ingestion). Resolves with the spans, or `undefined` after the timeout:
 * a trace that never arrives is an answer, not an exception. Backend errors propagate.
 */
export async function waitForTrace(
  store: TraceStore,
  traceId: string,
  { timeoutMs = 60_000, intervalMs = 500, until = () => true }: WaitForTraceOptions = {},
): Promise<StoredSpan[] | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = await store.getTrace(traceId);
    if (spans && until(spans)) return spans;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
