export { InvalidIdError, idToHex, parseTraceId } from './ids.js';
export { JaegerClient } from './jaeger-client.js';
export { spansFromOtlpJson, type OtlpTracesJson } from './otlp-json.js';
export type { SpanKindName, StatusCodeName, StoredAttributeValue, StoredLink, StoredSpan } from './stored-span.js';
export { TempoClient, type TempoSearchOptions, type TraceSearchHit } from './tempo-client.js';
export { TraceStoreError, type TraceStore } from './trace-store.js';
export { tempoTraceId, traceQlLinkingTo, traceQlTrace } from './traceql.js';
export { waitForTrace, type WaitForTraceOptions } from './wait-for-trace.js';
