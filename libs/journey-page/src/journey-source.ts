// Where the page's facts come from: the journey from Tempo (the same search and checks as
// `npm run verify`), the latest status from order-api's timeline.
import { randomBytes } from 'node:crypto';
import { findJourney, traceModelChecks } from '@mqtrace/journey';
import { TempoClient, TraceStoreError } from '@mqtrace/trace-query';
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
   * Trace ids of the newest orders' request traces, newest first. Tempo returns the
   * first hits it finds, not the newest, once a search has more than its limit. So the
   * window widens step by step (15 s to a day) until it holds `limit` orders, and the hits
   * of every step are kept: a narrower window that was not cut off holds all of its
   * orders, so the newest are never lost to the cut-off of a wider one.
   */
  async recentOrderTraces(limit: number): Promise<string[]> {
    const searchLimit = Math.max(limit * 10, 200);
    const hits = new Map<string, bigint>();
    for (const sinceSeconds of [15, 60, 300, 3_600, 86_400]) {
      for (const hit of await this.tempo.searchTraces('{ kind = server && name = "POST /orders" && span.order.id != nil }', { limit: searchLimit, sinceSeconds })) hits.set(hit.traceId, hit.startTimeUnixNano);
      if (hits.size >= limit) break;
    }
    return [...hits]
      .sort(([, a], [, b]) => (b > a ? 1 : b < a ? -1 : 0))
      .slice(0, limit)
      .map(([traceId]) => traceId);
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
