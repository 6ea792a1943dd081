import { parseTraceId } from './ids.js';
import type { StoredSpan } from './stored-span.js';
import { fetchJson, fetchOtlpTrace, TraceStoreError, type TraceStore } from './trace-store.js';

/** Options of {@link TempoClient.searchTraceIds}. */
export interface TempoSearchOptions {
  /** Most trace ids returned; default 100. */
  readonly limit?: number;
  /** Search window in seconds back from now; default Tempo's (recent data only). */
  readonly sinceSeconds?: number;
}

/** One trace a search found. */
export interface TraceSearchHit {
  readonly traceId: string;
  /** When the trace started, nanoseconds since the epoch (0 when Tempo did not say). */
  readonly startTimeUnixNano: bigint;
}

/** Reads traces from Grafana Tempo's HTTP API (`/api/v2/traces/{id}`). */
export class TempoClient implements TraceStore {
  readonly name = 'tempo';

  /** @param baseUrl e.g. `http://127.0.0.1:3200` (see `TEMPO_URL`). */
  constructor(private readonly baseUrl: string) {}

  async getTrace(traceId: string): Promise<StoredSpan[] | undefined> {
    return fetchOtlpTrace(this.name, `${this.baseUrl}/api/v2/traces/${parseTraceId(traceId)}`, 'trace');
  }

  /**
   * The ids of the traces a TraceQL query matches (`{ span.order.id = "..." }`), as
   * 32-digit hex (Tempo drops leading zeros). Search sees a trace a little after
   * `getTrace` does; poll for a trace that must appear.
   */
  async searchTraceIds(traceql: string, options: TempoSearchOptions = {}): Promise<string[]> {
    return (await this.searchTraces(traceql, options)).map(({ traceId }) => traceId);
  }

  /**
   * Like {@link searchTraceIds}, with each trace's start. Tempo returns the traces it
   * finds first, in no particular order, so "the newest N" means a window narrow enough
   * to hold few more than N, sorted here by `startTimeUnixNano`.
   */
  async searchTraces(traceql: string, { limit = 100, sinceSeconds }: TempoSearchOptions = {}): Promise<TraceSearchHit[]> {
    const query = new URLSearchParams({ q: traceql, limit: String(limit) });
    if (sinceSeconds !== undefined) {
      const now = Math.floor(Date.now() / 1000);
      query.set('start', String(now - sinceSeconds));
      query.set('end', String(now + 1));
    }
    const url = `${this.baseUrl}/api/search?${query.toString()}`;
    const body = (await fetchJson(this.name, url)) as { traces?: Array<{ traceID?: unknown; startTimeUnixNano?: unknown }> } | undefined;
    if (!body || !Array.isArray(body.traces)) throw new TraceStoreError(`${this.name} answered a search without a traces list for ${url}`);
    return body.traces.map(({ traceID, startTimeUnixNano }) => ({
      traceId: parseTraceId(String(traceID).padStart(32, '0')),
      startTimeUnixNano: /^\d+$/.test(String(startTimeUnixNano)) ? BigInt(String(startTimeUnixNano)) : 0n,
    }));
  }
}
