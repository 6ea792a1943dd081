import type { StoredSpan, TempoClient } from '@mqtrace/trace-query';

/** Every trace Tempo holds with a span of one order (`{ span.order.id = "…" }`), by trace id. */
export interface Journey {
  readonly orderId: string;
  readonly traces: ReadonlyMap<string, readonly StoredSpan[]>;
  /** Every span of every trace, for searching across traces. */
  readonly spans: readonly StoredSpan[];
}

/**
 * Polls Tempo until the order's journey satisfies `complete` (spans arrive after
 * batching, a tail-sampling wait and ingestion), then returns it. Throws after the
 * timeout with what did arrive, so a failure shows the broken journey.
 */
export async function waitForJourney(tempo: TempoClient, orderId: string, complete: (journey: Journey) => boolean, timeoutMs = 90_000): Promise<Journey> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ids = await tempo.searchTraceIds(`{ span.order.id = "${orderId}" }`, { sinceSeconds: 3_600 });
    const traces = new Map<string, readonly StoredSpan[]>();
    for (const id of ids) traces.set(id, (await tempo.getTrace(id)) ?? []);
    const journey: Journey = { orderId, traces, spans: [...traces.values()].flat() };
    if (complete(journey)) return journey;
    if (Date.now() > deadline) throw new Error(`journey of order ${orderId} incomplete after ${timeoutMs} ms:\n${describeJourney(journey)}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** The journey as text: one line per span, grouped by trace, for failure messages. */
export function describeJourney({ traces }: Journey): string {
  return [...traces]
    .map(([traceId, spans]) => `trace ${traceId}\n${spans.map((span) => `  ${span.kind.padEnd(8)} ${span.service.padEnd(18)} ${span.name} [${span.spanId} <- ${span.parentSpanId ?? 'root'}]${span.links.length ? ` links ${span.links.map((link) => `${link.traceId}/${link.spanId}`).join(',')}` : ''}`).join('\n')}`)
    .join('\n');
}

/** The spans of a journey with this name (and service). */
export function spansNamed(journey: Journey, name: string, service?: string): StoredSpan[] {
  return journey.spans.filter((span) => span.name === name && (service === undefined || span.service === service));
}

/** The one span with this name; throws (with the journey) when there is none or more than one. */
export function theSpan(journey: Journey, name: string, service?: string): StoredSpan {
  const found = spansNamed(journey, name, service);
  const [only] = found;
  if (!only || found.length !== 1) throw new Error(`expected one span '${name}'${service ? ` of ${service}` : ''}, found ${found.length}:\n${describeJourney(journey)}`);
  return only;
}

/** Whether `span` descends from the span `ancestorId` within its trace. */
export function descendsFrom(journey: Journey, span: StoredSpan, ancestorId: string): boolean {
  const byId = new Map((journey.traces.get(span.traceId) ?? []).map((candidate) => [candidate.spanId, candidate]));
  for (let current: StoredSpan | undefined = span; current?.parentSpanId; current = byId.get(current.parentSpanId)) {
    if (current.parentSpanId === ancestorId) return true;
  }
  return false;
}
