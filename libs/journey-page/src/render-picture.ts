// The picture: every lane on one time axis, spans as bars coloured by service, the time
// each record waited on its queue shaded, errors outlined, span links as arrows between
// lanes (a broken edge as a red dashed one). SVG, so it scales to any screen and each
// element carries a title for assistive technology and for the tests.
import { describeSpan, spanKey, type SpanRef } from '@mqtrace/journey';
import type { StoredSpan } from '@mqtrace/trace-query';
import type { Arrow, JourneyLayout, Lane } from './lanes.js';
import { markup, type Markup } from './markup.js';
import { foldedAxis, type TimeAxis } from './time-axis.js';

/** The picture's geometry, in SVG user units (1 unit is 1 CSS pixel at the page's width). */
const WIDTH = 900;
const PLOT_LEFT = 240;
const PLOT_RIGHT = 880;
const AXIS_HEIGHT = 28;
const LANE_HEADER = 22;
const ROW_HEIGHT = 16;
const BAR_HEIGHT = 10;
const LANE_GAP = 10;
/** How far left of its head an arrow turns in, and how much further each sibling of a fan-out keeps. */
const ARROW_APPROACH = 8;
const ARROW_SPREAD = 7;
const ARROW_CORNER = 5;

/** A colour per service of the system; another system's services get one from the spare list. */
const SERVICE_COLOURS: Readonly<Record<string, string>> = {
  'order-api': '#1f77b4',
  'fulfillment-worker': '#9467bd',
  inventory: '#2ca02c',
  payments: '#ff7f0e',
  notification: '#17becf',
};
const SPARE_COLOURS = ['#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#393b79'];

/** The colour of a service's bars. */
export function serviceColour(service: string): string {
  const known = SERVICE_COLOURS[service];
  if (known) return known;
  let hash = 0;
  for (const char of service) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return SPARE_COLOURS[hash % SPARE_COLOURS.length] ?? '#7f7f7f';
}

/** The DOM id part of a span: trace and span id. */
export const spanDomId = (span: SpanRef): string => `${span.traceId}-${span.spanId}`;

/** A millisecond figure as the page prints it. */
export const formatMs = (nanos: bigint): string => (Number(nanos) / 1e6).toFixed(1);

/** The picture of a journey's layout, with a text alternative naming every lane and arrow. */
export function renderPicture(layout: JourneyLayout, summary: string): Markup {
  const timeAxis = foldedAxis(
    layout.lanes.flatMap((lane) => lane.rows.map((row) => [row.span.startTimeUnixNano, row.span.endTimeUnixNano] as const)),
    { left: PLOT_LEFT, right: PLOT_RIGHT },
  );
  const { x } = timeAxis;

  // Each span's row centre, for the arrows.
  const centres = new Map<string, { y: number; start: number; end: number }>();
  let top = AXIS_HEIGHT;
  const laneTops: number[] = [];
  for (const lane of layout.lanes) {
    laneTops.push(top);
    lane.rows.forEach((row, index) => {
      const y = top + LANE_HEADER + index * ROW_HEIGHT + ROW_HEIGHT / 2;
      centres.set(spanKey(row.span), { y, start: x(row.span.startTimeUnixNano), end: Math.max(x(row.span.endTimeUnixNano), x(row.span.startTimeUnixNano) + 2) });
    });
    top += LANE_HEADER + lane.rows.length * ROW_HEIGHT + LANE_GAP;
  }
  const height = top;
  const spreads = arrowSpreads(layout.arrows);

  return markup`<svg class="picture" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="picture-title picture-desc" data-lanes="${layout.lanes.length}">
<title id="picture-title">${summary}</title>
<desc id="picture-desc">${describePicture(layout)}</desc>
<defs>
  <marker id="arrow-link" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b3fa8"/></marker>
  <marker id="arrow-broken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c62828"/></marker>
  <pattern id="queue-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="4" fill="#b0b0b0"/></pattern>
</defs>
${layout.lanes.map((lane, index) => markup`<rect class="lane-band${lane.kind === 'orphan' ? ' broken' : ''}" x="0" y="${laneTops[index] ?? 0}" width="${WIDTH}" height="${LANE_HEADER + lane.rows.length * ROW_HEIGHT}"/>`)}
${axis(layout, timeAxis, height)}
${layout.lanes.map((lane, index) => renderLane(lane, laneTops[index] ?? 0, x))}
${layout.arrows.map((arrow, index) => renderArrow(arrow, centres, spreads[index] ?? 0))}
</svg>`;
}

/** Ticks per busy stretch, labelled from the journey's start; a break where idle time is folded. */
function axis(layout: JourneyLayout, { segments }: TimeAxis, height: number): Markup {
  return markup`<g class="axis" aria-hidden="true">${segments.map((segment) => {
    if (segment.folded) {
      const middle = (segment.x0 + segment.x1) / 2;
      return markup`<rect class="fold" x="${segment.x0 + 3}" y="${AXIS_HEIGHT - 4}" width="${segment.x1 - segment.x0 - 6}" height="${height - AXIS_HEIGHT + 4}"><title>${formatTick(Number(segment.endNanos - segment.startNanos) / 1e6)} without spans, folded</title></rect><text class="fold-label" x="${middle}" y="${AXIS_HEIGHT - 10}" text-anchor="middle">≈</text>`;
    }
    const fromMs = Number(segment.startNanos - layout.startNanos) / 1e6;
    const lengthMs = Number(segment.endNanos - segment.startNanos) / 1e6;
    const count = Math.max(Math.floor((segment.x1 - segment.x0) / 90), 1);
    const step = niceStep(lengthMs / count);
    const ticks = [fromMs];
    for (let ms = Math.ceil(fromMs / step) * step; ms <= fromMs + lengthMs; ms += step) if (ms - fromMs > step / 2) ticks.push(ms);
    return ticks.map((ms) => {
      const at = segment.x0 + (lengthMs === 0 ? 0 : ((ms - fromMs) / lengthMs) * (segment.x1 - segment.x0));
      return markup`<line x1="${at}" x2="${at}" y1="${AXIS_HEIGHT - 6}" y2="${height}" class="tick"/><text x="${at}" y="${AXIS_HEIGHT - 10}" text-anchor="${ms === fromMs ? 'start' : 'middle'}">${formatTick(ms)}</text>`;
    });
  })}</g>`;
}

function niceStep(raw: number): number {
  if (raw <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const [step] = [1, 2, 5, 10].map((factor) => factor * power).filter((candidate) => candidate >= raw);
  return step ?? 10 * power;
}

const formatTick = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 2)} s` : `${ms > 0 && ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`);

function renderLane(lane: Lane, top: number, x: (nanos: bigint) => number): Markup {
  const broken = lane.kind === 'orphan';
  return markup`<g class="lane lane-${lane.kind}${broken ? ' broken' : ''}" data-lane="${lane.index}" data-lane-kind="${lane.kind}" data-trace-id="${lane.traceId}">
<text class="lane-title" x="6" y="${top + 15}">${lane.index + 1}. ${truncate(lane.title, 48)}<tspan class="lane-trace" x="${WIDTH - 6}" text-anchor="end">trace ${lane.traceId.slice(0, 8)}</tspan></text>
${lane.rows.map((row, index) => {
  const y = top + LANE_HEADER + index * ROW_HEIGHT;
  const { span } = row;
  const start = x(span.startTimeUnixNano);
  const width = Math.max(x(span.endTimeUnixNano) - start, 2);
  const failed = row.failedChecks.length > 0;
  const label = `${'  '.repeat(row.depth)}${span.name}`;
  const queued = row.queuedSinceNanos !== undefined && span.startTimeUnixNano > row.queuedSinceNanos ? x(row.queuedSinceNanos) : undefined;
  return markup`<g class="span${span.status === 'ERROR' ? ' error' : ''}${failed ? ' failed' : ''}" data-span-key="${spanDomId(span)}" data-span-name="${span.name}" data-service="${span.service}" data-lane-index="${lane.index}">
<title>${spanTitle(span, row.failedChecks.map((check) => check.reason))}</title>
<text class="span-label" x="${10 + row.depth * 8}" y="${y + 12}">${failed ? '✘ ' : ''}${truncate(label.trimStart(), 34 - row.depth)}</text>
${queued !== undefined ? markup`<rect class="queue-gap" x="${queued}" y="${y + 3}" width="${Math.max(start - queued, 1)}" height="${BAR_HEIGHT}" fill="url(#queue-hatch)"><title>waited on the queue ${formatMs(span.startTimeUnixNano - (row.queuedSinceNanos ?? 0n))} ms</title></rect>` : ''}
<rect class="bar" x="${start}" y="${y + 3}" width="${width}" height="${BAR_HEIGHT}" rx="2" fill="${serviceColour(span.service)}"/>
${span.status === 'ERROR' ? markup`<text class="error-mark" x="${start + width + 3}" y="${y + 12}">✘</text>` : ''}
</g>`;
})}
</g>`;
}

function renderArrow(arrow: Arrow, centres: ReadonlyMap<string, { y: number; start: number; end: number }>, spread: number): Markup | string {
  const tail = centres.get(spanKey(arrow.tail));
  const head = centres.get(spanKey(arrow.head));
  if (!tail || !head) return '';
  // Down (or up) from the linked span at the moment the linking span starts (or at the
  // linked span's end, for a run that starts later), then across into the start of the
  // linking span. Arrows leaving one span (the fan-out) each keep their own column, so
  // three links from one consumer read as three arrows, not one line.
  const headX = head.start;
  const column = Math.min(Math.max(head.start, tail.start), tail.end, headX - ARROW_APPROACH) - spread * ARROW_SPREAD;
  const tailX = Math.max(column, PLOT_LEFT - ARROW_SPREAD * 2);
  const down = head.y > tail.y ? 1 : -1;
  const corner = Math.min(ARROW_CORNER, Math.abs(head.y - tail.y) / 2, Math.max(headX - tailX, 0) / 2);
  const path = `M${tailX},${tail.y} V${head.y - down * corner} Q${tailX},${head.y} ${tailX + corner},${head.y} H${headX - 1}`;
  const words = arrow.kind === 'link' ? 'span link' : 'broken: the record carried no trace context';
  return markup`<path class="arrow arrow-${arrow.kind}" d="${path}" marker-end="url(#arrow-${arrow.kind})" data-arrow="${arrow.kind}" data-tail-lane="${arrow.tailLane}" data-head-lane="${arrow.headLane}" data-tail="${spanDomId(arrow.tail)}" data-head="${spanDomId(arrow.head)}"><title>${`lane ${arrow.tailLane + 1} → lane ${arrow.headLane + 1}: ${words}`}</title></path>`;
}

/**
 * Each arrow's place among the arrows leaving the same span, nearest head lane first:
 * the nearest turns in closest to its head, the farther ones keep further left, so no
 * two share a vertical stretch.
 */
export function arrowSpreads(arrows: readonly Arrow[]): number[] {
  const byTail = new Map<string, Arrow[]>();
  for (const arrow of arrows) byTail.set(spanKey(arrow.tail), [...(byTail.get(spanKey(arrow.tail)) ?? []), arrow]);
  return arrows.map((arrow) => {
    const siblings = (byTail.get(spanKey(arrow.tail)) ?? []).toSorted((a, b) => Math.abs(a.headLane - a.tailLane) - Math.abs(b.headLane - b.tailLane));
    return siblings.indexOf(arrow);
  });
}

function spanTitle(span: StoredSpan, failures: readonly string[]): string {
  const duration = formatMs(span.endTimeUnixNano - span.startTimeUnixNano);
  return [`${describeSpan(span)}, ${duration} ms${span.status === 'ERROR' ? `, failed${span.statusMessage ? `: ${span.statusMessage}` : ''}` : ''}`, ...failures.map((reason) => `✘ ${reason}`)].join('\n');
}

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, Math.max(max - 1, 4))}…` : text);

/** The picture in words: each lane, then each arrow, for screen readers. */
export function describePicture(layout: JourneyLayout): string {
  const nameOf = new Map(layout.lanes.flatMap((lane) => lane.rows.map((row) => [spanKey(row.span), row.span.name] as const)));
  const lanes = layout.lanes.map((lane) => `Lane ${lane.index + 1}, ${lane.title}: ${lane.rows.length} spans.`);
  const arrows = layout.arrows.map((arrow) =>
    arrow.kind === 'link'
      ? `Arrow from lane ${arrow.tailLane + 1} (${nameOf.get(spanKey(arrow.tail)) ?? '?'}) to lane ${arrow.headLane + 1} (${nameOf.get(spanKey(arrow.head)) ?? '?'}): a span link.`
      : `Broken edge from lane ${arrow.tailLane + 1} (${nameOf.get(spanKey(arrow.tail)) ?? '?'}) to lane ${arrow.headLane + 1} (${nameOf.get(spanKey(arrow.head)) ?? '?'}): the record carried no trace context.`,
  );
  return [...lanes, ...arrows].join(' ');
}
