import type { JourneySource } from './journey-source.js';
import type { JourneyView } from './render-journey.js';

/** One row of the recent orders list. */
export interface RecentOrder {
  /** The trace of its `POST /orders` request. */
  readonly traceId: string;
  /** Its journey, checked; undefined until the first check finished. */
  readonly view?: JourneyView;
  /** When the request started (ns since the epoch); 0 while its spans are not read. */
  readonly placedAtNanos: bigint;
}

/**
 * The most recent orders, each with its journey checked. Checking a journey takes a few
 * Tempo requests, so a list answers at once from what it has and checks the rest in the
 * background, a few at a time, each journey at most every `maxAgeMs`: the live page shows
 * the verdicts as they come in, and a page left open does not flood Tempo.
 */
export class RecentOrders {
  private readonly checked = new Map<string, { at: number; view: JourneyView; placedAtNanos: bigint }>();
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly source: JourneySource,
    private readonly maxAgeMs = 8_000,
    private readonly concurrency = 4,
  ) {}

  /** The latest orders as known now, newest first; starts checking those not checked lately. */
  async list(limit: number): Promise<RecentOrder[]> {
    const traceIds = await this.source.recentOrderTraces(limit);
    for (const traceId of this.checked.keys()) if (!traceIds.includes(traceId)) this.checked.delete(traceId);
    this.refreshing ??= this.refresh(traceIds).finally(() => (this.refreshing = undefined));
    const rows = traceIds.map((traceId): RecentOrder => {
      const known = this.checked.get(traceId);
      return known ? { traceId, view: known.view, placedAtNanos: known.placedAtNanos } : { traceId, placedAtNanos: 0n };
    });
    // Newest first; rows not checked yet keep Tempo's order at the end.
    return rows.sort((a, b) => (b.placedAtNanos > a.placedAtNanos ? 1 : b.placedAtNanos < a.placedAtNanos ? -1 : 0));
  }

  /** Resolves when the checks started by the last `list` are done (for tests and the first render). */
  async settled(): Promise<void> {
    await this.refreshing;
  }

  private async refresh(traceIds: readonly string[]): Promise<void> {
    const stale = traceIds.filter((traceId) => Date.now() - (this.checked.get(traceId)?.at ?? 0) >= this.maxAgeMs);
    await Promise.all(
      Array.from({ length: Math.min(this.concurrency, stale.length) }, async () => {
        for (let traceId = stale.shift(); traceId; traceId = stale.shift()) {
          const view = await this.source.view({ traceId }).catch((error: unknown): JourneyView => ({ id: traceId, checks: [], error: String(error) }));
          const request = view.journey?.spans.find((span) => span.traceId === traceId && !span.parentSpanId);
          this.checked.set(traceId, { at: Date.now(), view, placedAtNanos: request?.startTimeUnixNano ?? 0n });
        }
      }),
    );
  }
}
