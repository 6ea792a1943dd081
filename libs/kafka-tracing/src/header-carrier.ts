// Pattern: carrier. Trace context in Kafka record headers, read and written for the
// configured propagator, whatever shape a header value arrives in.
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { HeaderValue, MessageHeaders } from './record.js';

/** Longest header value the getter decodes; a larger one is ignored as hostile. */
export const MAX_PROPAGATION_HEADER_BYTES = 8192;

/**
 * Decodes one header value to text. Repeated values are joined with commas, as HTTP
 * does: a repeated `tracestate` combines its lists, a repeated `traceparent` becomes
 * invalid (and the propagator then starts a new root), which is what W3C asks for.
 */
export function headerText(value: HeaderValue): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.length > MAX_PROPAGATION_HEADER_BYTES ? undefined : value;
  if (Buffer.isBuffer(value)) return value.length > MAX_PROPAGATION_HEADER_BYTES ? undefined : value.toString('utf8');
  if (Array.isArray(value)) {
    const parts = value.map((part) => headerText(part as Buffer | string));
    return parts.some((part) => part === undefined) ? undefined : parts.join(',');
  }
  return undefined;
}

/** Finds a header key regardless of case (propagators ask in lower case). */
function findKey(headers: MessageHeaders, key: string): string | undefined {
  if (key in headers) return key;
  const wanted = key.toLowerCase();
  return Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
}

/**
 * Reads propagation fields from record headers for `propagation.extract`. Accepts the
 * four shapes a header value arrives in: Buffer, string, array, undefined.
 */
export const headerGetter: TextMapGetter<MessageHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const found = findKey(headers, key);
    return found === undefined ? undefined : headerText(headers[found]);
  },
};

/**
 * Writes propagation fields into record headers for `propagation.inject`, replacing any
 * header of the same name in another case, so a record never carries two traceparents.
 */
export const headerSetter: TextMapSetter<MessageHeaders> = {
  set: (headers, key, value) => {
    for (const existing of Object.keys(headers)) {
      if (existing !== key && existing.toLowerCase() === key.toLowerCase()) delete headers[existing];
    }
    headers[key] = value;
  },
};
