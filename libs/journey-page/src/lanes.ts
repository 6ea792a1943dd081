// The journey as the page draws it: one lane per trace, the spans of each lane in
// waterfall order, and the arrows between lanes. Pure data, so it is tested without a
// browser; render-journey.ts turns it into SVG and HTML.
import { TOPICS } from '@mqtrace/contracts';
import { spanKey, waterfallOrder, type Check, type Journey, type SpanRef } from '@mqtrace/journey';
import type { StoredSpan } from '@mqtrace/trace-query';

/** What a lane's trace is in the trace model (docs/trace-model.md). */
export type LaneKind =
  /** Rooted in `POST /orders`: the order trace (in child mode, the whole journey). */
  | 'order'
  /** Rooted in a fan-out PRODUCER span of fulfillment-worker, linked to the order's processing. */
  | 'branch'
  /** Rooted in a scheduler job run linked to the charges it reconciles. */
  | 'reconciliation'
  /** Rooted in a CONSUMER span: the record carried no trace context (naive mode). */
  | 'orphan'
  /** Anything else (another system's trace, a dead letter of its own). */
  | 'other';

/** One span in its lane, in waterfall order. */
export interface LaneRow {
  readonly span: StoredSpan;
  /** Nesting under its parent within the lane, 0 for a root. */
  readonly depth: number;
  /** For a CONSUMER span: when its record was sent (the PRODUCER span's end), to shade the time on the queue. */
  readonly queuedSinceNanos?: bigint;
  /** Checks of the journey that fail on this span. */
  readonly failedChecks: readonly Check[];
}

/** One trace of the journey. */
export interface Lane {
  readonly index: number;
  readonly traceId: string;
  readonly kind: LaneKind;
  /** e.g. "order trace", "branch payments.charge", "reconciliation run". */
  readonly title: string;
  readonly rows: readonly LaneRow[];
  /** Spans of the trace left out because they belong to other orders (a reconciliation run serves many). */
  readonly otherOrdersSpans: number;
}

/** An arrow between spans of two lanes. */
export interface Arrow {
  /**
   * `link`: the span at `head` holds a span link to the span at `tail` (fan-out, a
   * scheduler run). `broken`: the span at `head` should have continued the trace of the
   * span at `tail` (its record's PRODUCER) but is a root: the record carried no context.
   */
  readonly kind: 'link' | 'broken';
  readonly tail: SpanRef;
  readonly head: SpanRef;
  readonly tailLane: number;
  readonly headLane: number;
}

/** The page's model of a journey. */
export interface JourneyLayout {
  readonly lanes: readonly Lane[];
  readonly arrows: readonly Arrow[];
  /** Traces left out: reads of the order's timeline (`GET /orders/:id`), not steps of the journey. */
  readonly hiddenReads: number;
  /** The shared time axis: the earliest start and the latest end of the spans shown. */
  readonly startNanos: bigint;
  readonly endNanos: bigint;
}

const BRANCH_TOPICS: ReadonlySet<string> = new Set([TOPICS.inventoryReserve, TOPICS.paymentsCharge, TOPICS.notificationsSend]);
const DESTINATION = 'messaging.destination.name';
const PARTITION = 'messaging.destination.partition.id';

/** Lanes and arrows of a journey; `checks` mark the spans they fail on. */
export function layoutJourney(journey: Journey, checks: readonly Check[]): JourneyLayout {
  const failedOn = new Map<string, Check[]>();
  for (const check of checks) {
    if (!check.ok && check.span) failedOn.set(spanKey(check.span), [...(failedOn.get(spanKey(check.span)) ?? []), check]);
  }
  const sent = new Map(journey.edges.filter((edge) => edge.kind === 'queue-hop').map((edge) => [spanKey(edge.from), edge.to]));
  const byKey = new Map(journey.spans.map((span) => [spanKey(span), span]));

  const unordered: Array<{ traceId: string; kind: LaneKind | 'read'; title: string; spans: StoredSpan[]; otherOrdersSpans: number; start: bigint }> = [...journey.traces].map(([traceId, spans]) => {
    const kept = spans.filter((span) => belongsToOrder(span, journey.orderId));
    const root = rootOf(kept);
    const { kind, title } = describeLane(root, kept);
    return { traceId, kind, title, spans: [...kept], otherOrdersSpans: spans.length - kept.length, start: minStart(kept) };
  });
  const order: Record<LaneKind | 'read', number> = { order: 0, branch: 1, orphan: 1, other: 2, reconciliation: 3, read: 4 };
  // A client reading the timeline (this page's own status requests included) makes a
  // trace with the order's id; it is no step of the journey, so it gets no lane.
  const reads = unordered.filter((lane) => lane.kind === 'read');
  const sorted = unordered.filter((lane) => lane.spans.length > 0 && lane.kind !== 'read').sort((a, b) => order[a.kind] - order[b.kind] || Number(a.start - b.start));

  const lanes: Lane[] = sorted.map((lane, index) => ({
    index,
    traceId: lane.traceId,
    kind: lane.kind as LaneKind,
    title: lane.title,
    otherOrdersSpans: lane.otherOrdersSpans,
    rows: waterfallOrder(lane.spans).map(({ span, depth }) => {
      const producer = sent.get(spanKey(span));
      const producerSpan = producer ? byKey.get(spanKey(producer)) : undefined;
      return { span, depth, failedChecks: failedOn.get(spanKey(span)) ?? [], ...(producerSpan ? { queuedSinceNanos: producerSpan.endTimeUnixNano } : {}) };
    }),
  }));

  const laneOf = new Map(lanes.flatMap((lane) => lane.rows.map((row) => [spanKey(row.span), lane.index] as const)));
  const arrows: Arrow[] = [];
  for (const edge of journey.edges) {
    if (edge.kind !== 'link' || !edge.resolved) continue;
    const tailLane = laneOf.get(spanKey(edge.to));
    const headLane = laneOf.get(spanKey(edge.from));
    if (tailLane !== undefined && headLane !== undefined && tailLane !== headLane) arrows.push({ kind: 'link', tail: edge.to, head: edge.from, tailLane, headLane });
  }
  arrows.push(...brokenArrows(lanes, laneOf));

  const shown = lanes.flatMap((lane) => lane.rows.map((row) => row.span));
  return { lanes, arrows, hiddenReads: reads.length, startNanos: minStart(shown), endNanos: shown.reduce((max, span) => (span.endTimeUnixNano > max ? span.endTimeUnixNano : max), 0n) };
}

/** A span of another order (in a reconciliation run that served many) is left out. */
function belongsToOrder(span: StoredSpan, orderId: string | undefined): boolean {
  const spanOrder = span.attributes['order.id'];
  return !orderId || spanOrder === undefined || spanOrder === orderId;
}

function rootOf(spans: readonly StoredSpan[]): StoredSpan | undefined {
  const ids = new Set(spans.map((span) => span.spanId));
  const roots = spans.filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId));
  return roots.sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano))[0];
}

function describeLane(root: StoredSpan | undefined, spans: readonly StoredSpan[]): { kind: LaneKind | 'read'; title: string } {
  if (!root) return { kind: 'other', title: 'trace' };
  if (root.kind === 'SERVER' && root.name === 'POST /orders') return { kind: 'order', title: 'order trace' };
  if (root.kind === 'SERVER' && root.name === 'GET /orders/:id' && !root.parentSpanId) return { kind: 'read', title: 'timeline read' };
  const topic = String(root.attributes[DESTINATION] ?? '');
  if (root.kind === 'PRODUCER' && BRANCH_TOPICS.has(topic) && !root.parentSpanId) return { kind: 'branch', title: `branch ${topic}` };
  if (root.kind === 'CONSUMER' && !root.parentSpanId) return { kind: 'orphan', title: `orphan ${root.name} (no trace context)` };
  if (!root.parentSpanId && root.links.length > 0 && spans.some((span) => span.name === 'reconcile payment')) return { kind: 'reconciliation', title: 'reconciliation run' };
  return { kind: 'other', title: root.parentSpanId ? `trace (from ${root.name}, its parent not found)` : `trace ${root.name}` };
}

/**
 * Where the chain broke: a CONSUMER root is matched to the PRODUCER span that sent its
 * record (same topic, partition and offset), so the page can draw the edge that should
 * have been there. Without offsets on both spans nothing is drawn: a guess is worse.
 */
function brokenArrows(lanes: readonly Lane[], laneOf: ReadonlyMap<string, number>): Arrow[] {
  const rows = lanes.flatMap((lane) => lane.rows);
  const recordOf = (span: StoredSpan) => {
    const offset = span.attributes['kafka.offset'] ?? span.attributes['messaging.kafka.offset'];
    const partition = span.attributes[PARTITION];
    return offset === undefined || partition === undefined ? undefined : `${String(span.attributes[DESTINATION])}/${String(partition)}@${String(offset)}`;
  };
  const producers = new Map(rows.filter(({ span }) => span.kind === 'PRODUCER').flatMap(({ span }) => {
    const record = recordOf(span);
    return record ? [[record, span] as const] : [];
  }));
  const arrows: Arrow[] = [];
  for (const { span } of rows) {
    if (span.kind !== 'CONSUMER' || span.parentSpanId) continue;
    const record = recordOf(span);
    const producer = record ? producers.get(record) : undefined;
    if (!producer) continue;
    arrows.push({ kind: 'broken', tail: producer, head: span, tailLane: laneOf.get(spanKey(producer)) ?? 0, headLane: laneOf.get(spanKey(span)) ?? 0 });
  }
  return arrows.map(({ tail, head, ...arrow }) => ({ ...arrow, tail: { traceId: tail.traceId, spanId: tail.spanId }, head: { traceId: head.traceId, spanId: head.spanId } }));
}

function minStart(spans: readonly StoredSpan[]): bigint {
  return spans.reduce((min, span) => (min === 0n || span.startTimeUnixNano < min ? span.startTimeUnixNano : min), 0n);
}
