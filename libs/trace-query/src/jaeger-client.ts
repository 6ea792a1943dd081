import { parseTraceId } from './ids.js';
import { spansFromOtlpJson, type OtlpTracesJson } from './otlp-json.js';
import type { StoredSpan } from './stored-span.js';
import { fetchJson, type TraceStore } from './trace-store.js';

/** Reads traces from Jaeger's OTLP-shaped query API (`/api/v3/traces/{id}`). */
export class JaegerClient implements TraceStore {
  readonly name = 'jaeger';

  /** @param baseUrl e.g. `http://127.0.0.1:16686` (see `JAEGER_URL`). */
  constructor(private readonly baseUrl: string) {}

  async getTrace(traceId: string): Promise<StoredSpan[] | undefined> {
    const id = parseTraceId(traceId);
    const body = (await fetchJson(this.name, `${this.baseUrl}/api/v3/traces/${id}`)) as { result?: OtlpTracesJson } | undefined;
    if (!body?.result) return undefined;
    const spans = spansFromOtlpJson(body.result);
    return spans.length > 0 ? spans : undefined;
  }
}
