import { spansFromOtlpJson, type OtlpTracesJson } from './otlp-json.js';
import type { StoredSpan } from './stored-span.js';

/** A trace backend that can be asked for one trace by id. */
export interface TraceStore {
  /** Short name for messages, e.g. `tempo`. */
  readonly name: string;
  /**
   * The trace's spans, or `undefined` when the backend does not know the trace.
   * Throws {@link TraceStoreError} when the backend cannot answer (down, bad reply):
   * "not found" and "could not ask" are never confused.
   */
  getTrace(traceId: string): Promise<StoredSpan[] | undefined>;
}

/** The backend could not be asked or gave an answer that is not a trace. */
export class TraceStoreError extends Error {
  override readonly name = 'TraceStoreError';

  /** @param status the backend's HTTP status, when it answered at all. */
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * GETs a JSON document; `undefined` on 404. Network failures and other statuses become
 * a {@link TraceStoreError} that names the backend and the URL.
 */
export async function fetchJson(store: string, url: string, timeoutMs = 10_000): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new TraceStoreError(`${store} is not reachable at ${url}: ${(error as Error).cause ?? (error as Error).message}`);
  }
  if (response.status === 404) return undefined;
  const body = await response.text();
  if (!response.ok) {
    throw new TraceStoreError(`${store} answered ${response.status} for ${url}: ${body.slice(0, 300)}`, response.status);
  }
  try {
    return JSON.parse(body);
  } catch {
    throw new TraceStoreError(`${store} answered with something that is not JSON for ${url}: ${body.slice(0, 300)}`);
  }
}

/**
 * Fetches one trace from an endpoint that wraps an OTLP/JSON document in one field
 * (`trace` for Tempo, `result` for Jaeger); `undefined` when absent or empty.
 */
export async function fetchOtlpTrace(store: string, url: string, field: string): Promise<StoredSpan[] | undefined> {
  const body = (await fetchJson(store, url)) as Record<string, OtlpTracesJson | undefined> | undefined;
  const document = body?.[field];
  if (!document) return undefined;
  const spans = spansFromOtlpJson(document);
  return spans.length > 0 ? spans : undefined;
}
