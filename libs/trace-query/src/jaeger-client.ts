import { parseTraceId } from './ids.js';
import type { StoredSpan } from './stored-span.js';
import { fetchOtlpTrace, type TraceStore } from './trace-store.js';

/** Reads traces from Jaeger's OTLP-shaped query API (`/api/v3/traces/{id}`). */
export class JaegerClient implements TraceStore {
  readonly name = 'jaeger';

  /** @param baseUrl e.g. `http://127.0.0.1:16686` (see `JAEGER_URL`). */
  constructor(private readonly baseUrl: string) {}

  async getTrace(traceId: string): Promise<StoredSpan[] | undefined> {
    return fetchOtlpTrace(this.name, `${this.baseUrl}/api/v3/traces/${parseTraceId(traceId)}`, 'result');
  }
}
