// One journey's page content: the verdict, the picture, the checklist beside it, each
// trace with where to open it, and the span list (the picture as a keyboard-navigable
// table). The same markup is served first and then pushed again as late spans arrive.
import { spanKey, type Check, type Journey } from '@mqtrace/journey';
import { traceQlTrace } from '@mqtrace/trace-query';
import type { JourneyLayout } from './lanes.js';
import { markup, type Markup } from './markup.js';
import { formatMs, renderPicture, serviceColour, spanDomId } from './render-picture.js';
import { grafanaTraceUrl, jaegerTraceUrl, traceQlForOrder, type TraceViewers } from './trace-links.js';

/** What is known of one journey at one moment. */
export interface JourneyView {
  /** The order id or trace id the page was asked for. */
  readonly id: string;
  readonly journey?: Journey;
  readonly layout?: JourneyLayout;
  readonly checks: readonly Check[];
  /** The order's latest status on order-api's timeline, when order-api knows it. */
  readonly status?: string;
  /** Why Tempo could not be asked; the page says so and keeps trying. */
  readonly error?: string;
}

/** The live part of the journey page. */
export function renderJourney(view: JourneyView, viewers: TraceViewers): Markup {
  const { journey, layout } = view;
  if (view.error) return markup`<h1>Journey of <code>${view.id}</code></h1><p class="problem" role="alert">${view.error}</p><p>This page tries again every few seconds.</p>`;
  if (!journey || !layout) {
    return markup`<h1>Journey of <code>${view.id}</code></h1><p class="waiting" role="status">No trace of it in Tempo yet. Spans reach Tempo a few seconds after they end; this page shows them as they arrive.</p>`;
  }
  const failed = view.checks.filter((check) => !check.ok).length;
  const verdict = failed === 0 ? markup`<span class="verdict ok" data-verdict="ok">✔ every check holds</span>` : markup`<span class="verdict broken" data-verdict="broken">✘ ${failed} of ${view.checks.length} checks fail</span>`;
  const links = layout.arrows.filter((arrow) => arrow.kind === 'link').length;
  const summary = `Journey of order ${journey.orderId ?? view.id}: ${layout.lanes.length} traces on one time axis, ${layout.arrows.length} arrows between them`;
  return markup`<h1>Journey of <code>${journey.orderId ?? view.id}</code> ${verdict}</h1>
<p class="summary">${view.status ? markup`latest status <strong data-status="${view.status}">${view.status}</strong> · ` : ''}${layout.lanes.length} traces · ${journey.spans.length} spans · ${links} span links between traces · ${formatMs(layout.endNanos - layout.startNanos)} ms from first span to last${layout.hiddenReads > 0 ? ` · ${layout.hiddenReads} reads of its timeline (GET /orders/:id) not drawn` : ''}${
    journey.orderId ? markup` · TraceQL <code>${traceQlForOrder(journey.orderId)}</code>` : ''
  }</p>
<div class="columns">
  <section class="picture-column" aria-label="The traces on one time axis">
    ${renderPicture(layout, summary)}
    ${legend(journey)}
    ${arrowList(layout)}
  </section>
  <aside class="checklist" aria-label="Checks of the trace model">
    <h2>Checks</h2>
    <ul>${view.checks.map(checkItem)}</ul>
  </aside>
</div>
${traceTable(layout, viewers)}
${spanTable(layout, view.checks)}`;
}

function checkItem(check: Check): Markup {
  return markup`<li class="${check.ok ? 'ok' : 'failed'}" data-check-id="${check.id}" data-ok="${String(check.ok)}"><span class="mark" aria-hidden="true">${check.ok ? '✔' : '✘'}</span> <span class="visually-hidden">${check.ok ? 'holds:' : 'fails:'}</span> ${check.title}<div class="reason">${check.reason}</div></li>`;
}

function legend(journey: Journey): Markup {
  const services = [...new Set(journey.spans.map((span) => span.service))].sort();
  return markup`<p class="legend">${services.map((service) => markup`<span class="swatch" style="background:${serviceColour(service)}"></span>${service} `)}<span class="swatch hatch"></span>time on the queue <span class="legend-arrow">⟶</span> span link <span class="legend-arrow broken">⇢</span> broken edge <span class="error-mark">✘</span> error</p>`;
}

function arrowList(layout: JourneyLayout): Markup {
  if (layout.arrows.length === 0) return markup`<p class="arrows-none">No arrows between traces.</p>`;
  const nameOf = new Map(layout.lanes.flatMap((lane) => lane.rows.map((row) => [spanKey(row.span), row.span.name] as const)));
  return markup`<h2 class="small">Between the traces</h2><ul class="arrow-list">${layout.arrows.map(
    (arrow) => markup`<li class="arrow-${arrow.kind}">lane ${arrow.tailLane + 1} <a href="#row-${spanDomId(arrow.tail)}">${nameOf.get(spanKey(arrow.tail))}</a> → lane ${arrow.headLane + 1} <a href="#row-${spanDomId(arrow.head)}">${nameOf.get(spanKey(arrow.head))}</a>: ${arrow.kind === 'link' ? 'span link' : 'broken, the record carried no trace context'}</li>`,
  )}</ul>`;
}

function traceTable(layout: JourneyLayout, viewers: TraceViewers): Markup {
  return markup`<section class="traces"><h2>Traces</h2><table>
<thead><tr><th scope="col">lane</th><th scope="col">trace</th><th scope="col">spans</th><th scope="col">TraceQL</th><th scope="col">open in</th></tr></thead>
<tbody>${layout.lanes.map((lane) => {
    const jaeger = jaegerTraceUrl(viewers, lane.traceId);
    const grafana = grafanaTraceUrl(viewers, lane.traceId);
    return markup`<tr data-trace-row="${lane.traceId}"><td>${lane.index + 1}. ${lane.title}</td><td><code>${lane.traceId}</code></td><td>${lane.rows.length}${lane.otherOrdersSpans > 0 ? ` (+${lane.otherOrdersSpans} of other orders)` : ''}</td><td><code>${traceQlTrace(lane.traceId)}</code></td><td>${
      jaeger ? markup`<a href="${jaeger}" target="_blank" rel="noopener">Jaeger</a> ` : ''
    }${grafana ? markup`<a href="${grafana}" target="_blank" rel="noopener">Grafana</a>` : ''}${!jaeger && !grafana ? markup`<span class="muted">set JAEGER_UI_URL or GRAFANA_URL</span>` : ''}</td></tr>`;
  })}</tbody></table></section>`;
}

function spanTable(layout: JourneyLayout, checks: readonly Check[]): Markup {
  const laneOf = new Map(layout.lanes.flatMap((lane) => lane.rows.map((row) => [spanKey(row.span), lane.index] as const)));
  const nameOf = new Map(layout.lanes.flatMap((lane) => lane.rows.map((row) => [spanKey(row.span), row.span.name] as const)));
  const failing = new Set(checks.flatMap((check) => (!check.ok && check.span ? [spanKey(check.span)] : [])));
  let first = true;
  return markup`<section class="spans"><h2 id="spans-title">Spans</h2>
<p class="hint">Move through the spans with ↑ and ↓ (Home, End); the focused span is outlined in the picture with its arrows. Links in the last column jump to the other end of an arrow.</p>
<table class="span-list" aria-labelledby="spans-title">
<thead><tr><th scope="col">lane</th><th scope="col">at ms</th><th scope="col">ms</th><th scope="col">service</th><th scope="col">kind</th><th scope="col">span</th><th scope="col">queue ms</th><th scope="col">links</th></tr></thead>
<tbody>${layout.lanes.map((lane) =>
    lane.rows.map((row) => {
      const { span } = row;
      const key = spanKey(span);
      const outgoing = layout.arrows.filter((arrow) => spanKey(arrow.head) === key);
      // A link to a span the journey does not hold: its trace was sampled out, or is late.
      const dangling = span.links.filter((link) => !laneOf.has(spanKey(link)));
      const incoming = layout.arrows.filter((arrow) => spanKey(arrow.tail) === key);
      const tabindex = first ? '0' : '-1';
      first = false;
      return markup`<tr id="row-${spanDomId(span)}" tabindex="${tabindex}" data-row-key="${spanDomId(span)}" class="${span.status === 'ERROR' ? 'error' : ''}${failing.has(key) ? ' failed' : ''}">
<td>${lane.index + 1}</td><td>${formatMs(span.startTimeUnixNano - layout.startNanos)}</td><td>${formatMs(span.endTimeUnixNano - span.startTimeUnixNano)}</td><td><span class="swatch" style="background:${serviceColour(span.service)}"></span>${span.service}</td><td>${span.kind}</td>
<td style="padding-left:${0.4 + row.depth * 0.9}em">${span.name}${span.status === 'ERROR' ? markup` <span class="error-mark" title="${span.statusMessage ?? 'error'}">✘ error</span>` : ''}</td>
<td>${row.queuedSinceNanos !== undefined ? formatMs(span.startTimeUnixNano - row.queuedSinceNanos) : ''}</td>
<td>${outgoing.map((arrow) => markup`<a href="#row-${spanDomId(arrow.tail)}">${arrow.kind === 'link' ? '→' : '⇢'} ${nameOf.get(spanKey(arrow.tail))} (lane ${(laneOf.get(spanKey(arrow.tail)) ?? 0) + 1})</a> `)}${incoming.map(
        (arrow) => markup`<a href="#row-${spanDomId(arrow.head)}">${arrow.kind === 'link' ? '←' : '⇠'} ${nameOf.get(spanKey(arrow.head))} (lane ${(laneOf.get(spanKey(arrow.head)) ?? 0) + 1})</a> `,
      )}${dangling.map((link) => markup`<span class="dangling" title="links to span ${link.spanId} of trace ${link.traceId}, which is not in Tempo: sampled out, or not arrived yet">→ trace ${link.traceId.slice(0, 8)}… not in Tempo</span> `)}</td></tr>`;
    }),
  )}</tbody></table></section>`;
}
