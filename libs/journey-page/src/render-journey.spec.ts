import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journeyOf, traceModelChecks } from '@mqtrace/journey';
import type { StoredSpan } from '@mqtrace/trace-query';
import { layoutJourney } from './lanes.js';
import { renderJourney } from './render-journey.js';
import { grafanaTraceUrl, jaegerTraceUrl } from './trace-links.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

function oneSpanJourney(name: string, extra: Partial<StoredSpan> = {}) {
  const span: StoredSpan = { traceId: TRACE, spanId: 'b7ad6b7169203331', name, kind: 'SERVER', service: 'order-api', startTimeUnixNano: 1_000_000n, endTimeUnixNano: 3_000_000n, attributes: {}, links: [], status: 'UNSET', ...extra };
  const journey = journeyOf(new Map([[TRACE, [span]]]));
  const checks = traceModelChecks(journey);
  return { id: TRACE, journey, checks, layout: layoutJourney(journey, checks) };
}

describe('renderJourney', () => {
  it('escapes what spans carry: a span name or status message from another system never becomes markup', () => {
    const html = renderJourney(oneSpanJourney('<script>alert(1)</script>', { status: 'ERROR', statusMessage: '"><img src=x onerror=alert(1)>' }), {}).toString();
    assert.ok(!html.includes('<script>alert(1)'), html);
    assert.ok(!html.includes('<img src=x'), html);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('lists each check with ✔ or ✘, its title and its reason, in the words of verify', () => {
    const html = renderJourney(oneSpanJourney('POST /orders'), {}).toString();
    assert.match(html, /data-check-id="order.request" data-ok="true"><span class="mark" aria-hidden="true">✔<\/span>.*POST \/orders is a SERVER span of order-api<div class="reason">SERVER `POST \/orders` in order-api found/);
    assert.match(html, /data-check-id="order.produce" data-ok="false"><span class="mark" aria-hidden="true">✘<\/span>/);
    assert.match(html, /data-verdict="broken">✘ \d+ of \d+ checks fail/);
  });

  it('a link to a span the journey does not hold (its trace sampled out) is named in the span list, not drawn', () => {
    const other = 'ffffffffffffffffffffffffffffffff';
    const view = oneSpanJourney('send payments.charge', { kind: 'PRODUCER', links: [{ traceId: other, spanId: '1111111111111111', attributes: {} }] });
    assert.equal(view.layout.arrows.length, 0);
    assert.match(renderJourney(view, {}).toString(), /→ trace ffffffff… not in Tempo/);
  });

  it('says when there is nothing yet, and when Tempo could not be asked', () => {
    assert.match(renderJourney({ id: TRACE, checks: [] }, {}).toString(), /No trace of it in Tempo yet/);
    assert.match(renderJourney({ id: TRACE, checks: [], error: 'Tempo could not be asked: refused' }, {}).toString(), /role="alert">Tempo could not be asked: refused/);
  });

  it('links each trace to Jaeger and Grafana only when their addresses are set', () => {
    const view = oneSpanJourney('POST /orders');
    assert.doesNotMatch(renderJourney(view, {}).toString(), />Jaeger</);
    const html = renderJourney(view, { jaegerUiUrl: 'http://jaeger:16686', grafanaUrl: 'http://grafana:3000' }).toString();
    assert.ok(html.includes(`href="${jaegerTraceUrl({ jaegerUiUrl: 'http://jaeger:16686' }, TRACE)}"`));
    assert.ok(html.includes(`href="${grafanaTraceUrl({ grafanaUrl: 'http://grafana:3000' }, TRACE)?.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`));
  });
});

describe('trace links', () => {
  it('Grafana Explore opens the trace by id from the Tempo data source', () => {
    const url = new URL(grafanaTraceUrl({ grafanaUrl: 'http://grafana:3000/', grafanaTempoUid: 'tempo-uid' }, TRACE) ?? '');
    assert.equal(url.pathname, '/explore');
    const panes = JSON.parse(url.searchParams.get('panes') ?? '{}') as Record<string, { datasource: string; queries: Array<{ query: string; datasource: { uid: string } }> }>;
    const [pane] = Object.values(panes);
    assert.equal(pane?.datasource, 'tempo-uid');
    assert.equal(pane?.queries[0]?.query, TRACE);
    assert.equal(pane?.queries[0]?.datasource.uid, 'tempo-uid');
  });
});
