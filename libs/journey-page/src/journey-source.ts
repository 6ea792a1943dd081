// Where the page's facts come from: the journey from Tempo (the same search and checks as
// `npm run verify`), the latest status from order-api's timeline.
import { randomBytes } from 'node:crypto';
import { findJourney, traceModelChecks } from '@mqtrace/journey';
import { TempoClient, TraceStoreError, type TraceSearchHit } from '@mqtrace/trace-query';
import { layoutJourney } from './lanes.js';
import type { JourneyView } from './render-journey.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;

/** What a journey page can be asked for: an order id (UUID) or any trace id of the journey. */
export function parseJourneyId(raw: string): { orderId: string } | { traceId: string } | undefined {
  const id = raw.trim().toLowerCase();
  return UUID.test(id) ? { orderId: id } : TRACE_ID.test(id) ? { traceId: id } : undefined;
}

/** Reads journeys and statuses for the page. */
export class JourneySource {
  private readonly tempo: TempoClient;

  constructor(
    tempoUrl: string,
    private readonly orderApiUrl: string,
  ) {
    this.tempo = new TempoClient(tempoUrl);
  }

  /** The journey of an order (or of the order a trace belongs to) as the page shows it now. */
  async view(start: { orderId: string } | { traceId: string }): Promise<JourneyView> {
    const id = 'orderId' in start ? start.orderId : start.traceId;
    try {
      const journey = await findJourney(start, { search: this.tempo });
      if (!journey) return { id, checks: [] };
      const checks = traceModelChecks(journey);
      const status = journey.orderId ? await this.latestStatus(journey.orderId) : undefined;
      return { id, journey, checks, layout: layoutJourney(journey, checks), ...(status ? { status } : {}) };
    } catch (error) {
      if (error instanceof TraceStoreError) return { id, checks: [], error: `Tempo could not be asked: ${error.message}` };
      throw error;
    }
  }

  /**
   * Trace ids of the newest orders' request traces, newest first. Tempo returns what it
   * finds first, not the newest, so the window widens (2 minutes, an hour, a day) only
   * until it holds `limit` orders, and the hits are sorted by start.
   */
  async recentOrderTraces(limit: number): Promise<string[]> {
    let hits: TraceSearchHit[] = [];
    for (const sinceSeconds of [120, 3_600, 86_400]) {
      hits = await this.tempo.searchTraces('{ kind = server && name = "POST /orders" && span.order.id != nil }', { limit: Math.max(limit * 10, 200), sinceSeconds });
      if (hits.length >= limit) break;
    }
    return hits
      .sort((a, b) => (b.startTimeUnixNano > a.startTimeUnixNano ? 1 : b.startTimeUnixNano < a.startTimeUnixNano ? -1 : 0))
      .slice(0, limit)
      .map(({ traceId }) => traceId);
  }

  /** The latest step of an order's timeline; undefined when order-api does not answer or know it. */
  async latestStatus(orderId: string): Promise<string | undefined> {
    try {
      // An unsampled parent: order-api then records no trace of the page's own reads
      // (while it trusts inbound context; otherwise the read's trace gets no lane).
      const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
      const response = await fetch(`${this.orderApiUrl}/orders/${orderId}`, { headers: { traceparent }, signal: AbortSignal.timeout(2_000) });
      if (!response.ok) return undefined;
      const { timeline } = (await response.json()) as { timeline?: Array<{ status?: unknown }> };
      const last = timeline?.at(-1)?.status;
      return typeof last === 'string' ? last : undefined;
    } catch {
      return undefined;
    }
  }
}
