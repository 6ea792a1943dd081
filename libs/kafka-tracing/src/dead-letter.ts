// Pattern: retries and dead letters, the last stop. A record that cannot be processed is
// copied to a dead-letter topic with where it came from and why, in the failed trace.
import { headerGetter } from './header-carrier.js';
import type { IncomingRecord, OutgoingMessage } from './record.js';
import { headersWithout, writeFailureHeaders, type RecordOrigin } from './record-origin.js';
import { RETRY_HEADER_PREFIX } from './retry-topic.js';

/** Headers a dead-letter record carries about its origin, in addition to the original ones. */
export const DEAD_LETTER_HEADERS = {
  topic: 'dlq.original.topic',
  partition: 'dlq.original.partition',
  offset: 'dlq.original.offset',
  /** The original record's timestamp, so its age is known after any number of hops. */
  timestamp: 'dlq.original.timestamp',
  consumerGroup: 'dlq.consumer.group',
  attempts: 'dlq.attempts',
  errorType: 'dlq.error.type',
  errorMessage: 'dlq.error.message',
  /** The traceparent the record arrived with; the record's own is injected anew. */
  originalTraceparent: 'dlq.original.traceparent',
} as const;

/** The conventional dead-letter topic of a topic: `<topic>.dlq`. */
export const deadLetterTopicOf = (topic: string): string => `${topic}.dlq`;

/** Why and from where a record is dead-lettered. */
export interface DeadLetterCause {
  readonly error: unknown;
  readonly attempts: number;
  readonly consumerGroup?: string;
  /** Where the record was first consumed (before any retry hop). */
  readonly origin: RecordOrigin;
}

/**
 * The dead-letter copy of a failed record: same key and value, the original headers
 * (retry bookkeeping removed), plus the origin headers. Trace context is NOT copied:
 * the send injects the failed attempt's context, so the dead-letter consumer lands in the
 * failed message's trace, and the propagator alone decides `traceparent` and `tracestate`.
 */
export function deadLetterMessage(record: IncomingRecord, { error, attempts, consumerGroup, origin }: DeadLetterCause): OutgoingMessage {
  const headers = headersWithout(record.headers, [RETRY_HEADER_PREFIX]);
  const arrivedWith = headerGetter.get(record.headers, 'traceparent');
  if (arrivedWith !== undefined) headers[DEAD_LETTER_HEADERS.originalTraceparent] = arrivedWith;
  writeFailureHeaders(headers, DEAD_LETTER_HEADERS, origin, error);
  if (consumerGroup) headers[DEAD_LETTER_HEADERS.consumerGroup] = consumerGroup;
  headers[DEAD_LETTER_HEADERS.attempts] = String(attempts);
  return { key: record.key, value: record.value, headers };
}
