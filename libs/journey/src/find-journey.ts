import type { StoredSpan, TraceStore } from '@mqtrace/trace-query';
import { journeyOf, type Journey } from './journey.js';

/** Where a journey is looked up: any trace store, and one that can search by TraceQL (Tempo). */
export interface JourneySources {
  /** Finds the traces of an order by `{ span.order.id = "…" }`. */
  readonly search: TraceStore & { searchTraceIds(traceql: string, options?: { sinceSeconds?: number }): Promise<string[]> };
  /** Reads the traces; default `search`. Jaeger, to check the same traces there. */
  readonly read?: TraceStore;
}

/** What a journey starts from: an order id, or any trace id of the journey. */
export type JourneyStart = { readonly orderId: string } | { readonly traceId: string };

/** Options of {@link findJourney}. */
export interface FindJourneyOptions {
  /** Most traces fetched, links followed included; default 50. */
  readonly maxTraces?: number;
  /** Search window in seconds; default a day. */
  readonly sinceSeconds?: number;
}

/**
 * The journey of an order: every trace holding a span with its `order.id` (searched in
 * `search`), read from `read`, plus every trace one of its spans links to (followed
 * until `maxTraces`; a span of another order, or one serving many, is not followed). From a trace id: that trace, then the order of its spans if they carry
 * one. `undefined` when nothing is found: a trace id that does not exist is "not found",
 * never an empty journey that passes.
 */
export async function findJourney(start: JourneyStart, { search, read = search }: JourneySources, { maxTraces = 50, sinceSeconds = 86_400 }: FindJourneyOptions = {}): Promise<Journey | undefined> {
  const traces = new Map<string, readonly StoredSpan[]>();
  const fetchInto = async (traceId: string) => {
    if (traces.has(traceId) || traces.size >= maxTraces) return;
    const spans = await read.getTrace(traceId);
    if (spans) traces.set(traceId, spans);
  };

  let orderId = 'orderId' in start ? start.orderId : undefined;
  if ('traceId' in start) {
    await fetchInto(start.traceId);
    const first = traces.get(start.traceId) ?? (read.name === search.name ? undefined : await search.getTrace(start.traceId));
    orderId ??= first?.map((span) => span.attributes['order.id']).find((value): value is string => typeof value === 'string');
  }
  if (orderId) {
    for (const traceId of await search.searchTraceIds(`{ span.order.id = "${orderId.replace(/["\\]/g, '')}" }`, { sinceSeconds })) await fetchInto(traceId);
  }
  // Links lead to traces the search may not return (a span without order.id). Only an
  // order's own spans are followed: a reconciliation run links to many orders' charges.
  const ours = (span: StoredSpan) => !orderId || span.attributes['order.id'] === orderId;
  for (let grew = true; grew && traces.size < maxTraces; ) {
    const before = traces.size;
    const linked = [...traces.values()].flat().filter(ours).flatMap((span) => span.links.map((link) => link.traceId));
    for (const traceId of new Set(linked)) await fetchInto(traceId);
    grew = traces.size > before;
  }
  return traces.size > 0 ? journeyOf(traces, orderId) : undefined;
}
