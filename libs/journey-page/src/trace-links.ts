/** Where a trace can be opened besides this page; each is optional (the native stack has no Grafana). */
export interface TraceViewers {
  /** Jaeger's UI, e.g. `http://localhost:16686` (`JAEGER_UI_URL`). */
  readonly jaegerUiUrl?: string;
  /** Grafana, e.g. `http://localhost:3001` (`GRAFANA_URL`). */
  readonly grafanaUrl?: string;
  /** The uid of Grafana's Tempo data source; default `tempo` (as the Docker set-up provisions it). */
  readonly grafanaTempoUid?: string;
}

/** The TraceQL query that finds every trace holding a span of the order. */
export const traceQlForOrder = (orderId: string): string => `{ span.order.id = "${orderId}" }`;

/** Jaeger UI's page of one trace; undefined when no Jaeger UI is configured. */
export function jaegerTraceUrl({ jaegerUiUrl }: TraceViewers, traceId: string): string | undefined {
  return jaegerUiUrl ? `${jaegerUiUrl.replace(/\/+$/, '')}/trace/${traceId}` : undefined;
}

/** Grafana Explore with the trace open from the Tempo data source; undefined when no Grafana is configured. */
export function grafanaTraceUrl({ grafanaUrl, grafanaTempoUid = 'tempo' }: TraceViewers, traceId: string): string | undefined {
  if (!grafanaUrl) return undefined;
  const datasource = { type: 'tempo', uid: grafanaTempoUid };
  const panes = { journey: { datasource: grafanaTempoUid, queries: [{ refId: 'A', datasource, queryType: 'traceql', query: traceId }], range: { from: 'now-6h', to: 'now' } } };
  const query = new URLSearchParams({ schemaVersion: '1', panes: JSON.stringify(panes), orgId: '1' });
  return `${grafanaUrl.replace(/\/+$/, '')}/explore?${query.toString()}`;
}
