import type { StoredSpan } from '@mqtrace/trace-query';

/** A span's address across traces. */
export interface SpanRef {
  readonly traceId: string;
  readonly spanId: string;
}

/** How two spans are connected. */
export type EdgeKind =
  /** `from` is the child of `to`, within one trace. */
  | 'parent'
  /** `from` holds a span link to `to` (often in another trace). */
  | 'link'
  /** `from` is a CONSUMER span whose parent `to` is the PRODUCER span of its record. */
  | 'queue-hop';

/** One edge between two spans of a journey. */
export interface Edge {
  readonly kind: EdgeKind;
  readonly from: SpanRef;
  readonly to: SpanRef;
  /** Whether the span `to` is among the journey's spans (a link may point nowhere). */
  readonly resolved: boolean;
  /** Queue hops: the CONSUMER span's start minus the PRODUCER span's end, in nanoseconds. */
  readonly gapNanos?: bigint;
}

/** Every trace of one journey, their spans and the edges between them. */
export interface Journey {
  /** The order the journey belongs to, when its spans carry `order.id`. */
  readonly orderId?: string;
  readonly traces: ReadonlyMap<string, readonly StoredSpan[]>;
  readonly spans: readonly StoredSpan[];
  readonly edges: readonly Edge[];
}

/** The result of one check: an expected edge, or a property of the journey. */
export interface Check {
  /** Stable id, e.g. `branch.payments.charge.consume`. */
  readonly id: string;
  /** What is expected, in words. */
  readonly title: string;
  readonly ok: boolean;
  /** Why it holds, or what broke it (naming the span that broke the chain). */
  readonly reason: string;
  /** The span the check is about, when there is one. */
  readonly span?: SpanRef;
}

/** The key of a span in maps: trace id and span id. */
export const spanKey = ({ traceId, spanId }: SpanRef): string => `${traceId}/${spanId}`;

/** A journey from a set of traces: every span, and every edge between them. */
export function journeyOf(traces: ReadonlyMap<string, readonly StoredSpan[]>, orderId?: string): Journey {
  const spans = [...traces.values()].flat();
  return { ...(orderId ? { orderId } : {}), traces, spans, edges: edgesOf(spans) };
}

/** Parent, link and queue-hop edges among spans. */
export function edgesOf(spans: readonly StoredSpan[]): Edge[] {
  const byKey = new Map(spans.map((span) => [spanKey(span), span]));
  const edges: Edge[] = [];
  for (const span of spans) {
    if (span.parentSpanId) {
      const to = { traceId: span.traceId, spanId: span.parentSpanId };
      const parent = byKey.get(spanKey(to));
      edges.push({ kind: 'parent', from: span, to, resolved: parent !== undefined });
      if (parent && span.kind === 'CONSUMER' && parent.kind === 'PRODUCER') {
        edges.push({ kind: 'queue-hop', from: span, to, resolved: true, gapNanos: span.startTimeUnixNano - parent.endTimeUnixNano });
      }
    }
    for (const link of span.links) {
      const to = { traceId: link.traceId, spanId: link.spanId };
      edges.push({ kind: 'link', from: span, to, resolved: byKey.has(spanKey(to)) });
    }
  }
  return edges.map(({ from, to, ...edge }) => ({ ...edge, from: ref(from), to: ref(to) }));
}

const ref = ({ traceId, spanId }: SpanRef): SpanRef => ({ traceId, spanId });

/** A span as a check names it: kind, name in backquotes, service. */
export function describeSpan(span: StoredSpan): string {
  return `${span.kind} \`${span.name}\` in ${span.service}`;
}

/** Spans in waterfall order: each after its parent, siblings by start time, with their depth (a span whose parent is missing is a root). */
export function waterfallOrder(spans: readonly StoredSpan[]): Array<{ span: StoredSpan; depth: number }> {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | undefined, StoredSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered: Array<{ span: StoredSpan; depth: number }> = [];
  const visit = (parent: string | undefined, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano))) {
      ordered.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit(undefined, 0);
  return ordered;
}
