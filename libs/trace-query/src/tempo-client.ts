import { parseTraceId } from './ids.js';
import type { StoredSpan } from './stored-span.js';
import { fetchOtlpTrace, type TraceStore } from './trace-store.js';

/** Reads traces from Grafana Tempo's HTTP API (`/api/v2/traces/{id}`). */
export class TempoClient implements TraceStore {
  readonly name = 'tempo';

  /** @param baseUrl e.g. `http://127.0.0.1:3200` (see `TEMPO_URL`). */
  constructor(private readonly baseUrl: string) {}

  async getTrace(traceId: string): Promise<StoredSpan[] | undefined> {
    return fetchOtlpTrace(this.name, `${this.baseUrl}/api/v2/traces/${parseTraceId(traceId)}`, 'trace');
  }
}
