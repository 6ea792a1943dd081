import { TraceStoreError, traceQlLinkingTo, type StoredSpan, type TraceStore } from '@mqtrace/trace-query';
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
 * until `maxTraces`; a span of another order, or one serving many, is not followed).
 * From a trace id: that trace, then the order of its spans if they carry one. A trace
 * without an order id (another system's) also gathers the traces that link INTO the
 * ones found, by TraceQL's `{ link:traceID =~ "0*…" }` (`traceQlLinkingTo`). `undefined` when nothing is found:
 * a trace id that does not exist is "not found", never an empty journey that passes.
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
  // Without an order id, the search for spans linking in stands in for the order search:
  // a fan-out consumer in a trace of its own links back, and nothing points forward to it.
  const ours = (span: StoredSpan) => !orderId || span.attributes['order.id'] === orderId;
  const searchedLinksInto = new Set<string>();
  for (let grew = true; grew && traces.size < maxTraces; ) {
    const before = traces.size;
    const linked = [...traces.values()].flat().filter(ours).flatMap((span) => span.links.map((link) => link.traceId));
    for (const traceId of new Set(linked)) await fetchInto(traceId);
    if (!orderId) {
      for (const traceId of [...traces.keys()].filter((id) => !searchedLinksInto.has(id))) {
        searchedLinksInto.add(traceId);
        for (const linking of await tracesLinkingTo(search, traceId, sinceSeconds)) await fetchInto(linking);
      }
    }
    grew = traces.size > before;
  }
  return traces.size > 0 ? journeyOf(traces, orderId) : undefined;
}

/** Trace ids with a span linking into `traceId`; none from a Tempo too old for link intrinsics (it answers 400). */
async function tracesLinkingTo(search: JourneySources['search'], traceId: string, sinceSeconds: number): Promise<string[]> {
  try {
    return await search.searchTraceIds(traceQlLinkingTo(traceId), { sinceSeconds });
  } catch (error) {
    if (error instanceof TraceStoreError && error.status === 400) return [];
    throw error;
  }
}
