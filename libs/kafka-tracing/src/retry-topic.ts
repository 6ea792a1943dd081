// Pattern: retries and dead letters, non-blocking. A failed record is re-published to a
// retry topic with its next attempt number and due time; consumed again when due.
import { headerText } from './header-carrier.js';
import type { IncomingRecord, OutgoingMessage } from './record.js';
import { headersWithout, writeFailureHeaders, type RecordOrigin } from './record-origin.js';

/** Every retry header starts with this; they are dropped when the record moves on. */
export const RETRY_HEADER_PREFIX = 'retry.';

/** Headers of a record on a retry topic. */
export const RETRY_HEADERS = {
  /** The attempt the retry record is for (2 for the first retry). */
  attempt: 'retry.attempt',
  /** Milliseconds since the epoch before which it must not be processed. */
  dueAt: 'retry.due-at',
  topic: 'retry.original.topic',
  partition: 'retry.original.partition',
  offset: 'retry.original.offset',
  timestamp: 'retry.original.timestamp',
  errorType: 'retry.error.type',
  errorMessage: 'retry.error.message',
} as const;

/** The conventional retry topic of a topic: `<topic>.retry`. */
export const retryTopicOf = (topic: string): string => `${topic}.retry`;

/** What a retry record says about its delivery. */
export interface RetryDelivery {
  readonly attempt: number;
  readonly dueAt: number;
  readonly origin: RecordOrigin;
}

/**
 * Reads the retry headers of a record, or `undefined` when it is not a retry record.
 * The headers are believed only on the retry topic of the origin topic they name, so a
 * producer writing `retry.attempt: 99` onto a normal topic cannot skip the retries.
 */
export function readRetryDelivery(record: IncomingRecord, retryTopicFor: (topic: string) => string = retryTopicOf): RetryDelivery | undefined {
  const text = (name: string) => headerText(record.headers[name]);
  const topic = text(RETRY_HEADERS.topic);
  if (!topic || retryTopicFor(topic) !== record.topic) return undefined;
  const attempt = Number(text(RETRY_HEADERS.attempt));
  const dueAt = Number(text(RETRY_HEADERS.dueAt));
  const partition = Number(text(RETRY_HEADERS.partition));
  const offset = text(RETRY_HEADERS.offset);
  if (!Number.isInteger(attempt) || attempt < 2 || !Number.isFinite(dueAt) || !Number.isInteger(partition) || !offset) return undefined;
  const timestamp = text(RETRY_HEADERS.timestamp);
  return { attempt, dueAt, origin: { topic, partition, offset, ...(timestamp ? { timestamp } : {}) } };
}

/** What a retry record is made from. */
export interface RetryCause {
  readonly error: unknown;
  readonly nextAttempt: number;
  readonly dueAt: number;
  readonly origin: RecordOrigin;
}

/**
 * The retry copy of a failed record: same key and value, the original headers with the
 * retry bookkeeping replaced. Trace context is injected by the send, from the failed
 * attempt's span, so the next attempt is that span's grandchild in the same trace.
 */
export function retryMessage(record: IncomingRecord, { error, nextAttempt, dueAt, origin }: RetryCause): OutgoingMessage {
  const headers = headersWithout(record.headers, [RETRY_HEADER_PREFIX]);
  headers[RETRY_HEADERS.attempt] = String(nextAttempt);
  headers[RETRY_HEADERS.dueAt] = String(dueAt);
  writeFailureHeaders(headers, RETRY_HEADERS, origin, error);
  return { key: record.key, value: record.value, headers };
}
