import { errorType } from './span-helpers.js';
import type { IncomingRecord, MessageHeaders, OutgoingMessage } from './record.js';

/** Headers a dead-letter record carries about its origin, in addition to the original ones. */
export const DEAD_LETTER_HEADERS = {
  topic: 'dlq.original.topic',
  partition: 'dlq.original.partition',
  offset: 'dlq.original.offset',
  consumerGroup: 'dlq.consumer.group',
  attempts: 'dlq.attempts',
  errorType: 'dlq.error.type',
  errorMessage: 'dlq.error.message',
  /** The traceparent the record arrived with; the record's own is re-injected. */
  originalTraceparent: 'dlq.original.traceparent',
} as const;

/** Longest error message copied into a dead-letter header. */
export const MAX_DEAD_LETTER_ERROR_LENGTH = 1024;

/** The conventional dead-letter topic of a topic: `<topic>.dlq`. */
export const deadLetterTopicOf = (topic: string): string => `${topic}.dlq`;

/** Where a failed record came from and why it failed. */
export interface DeadLetterCause {
  readonly error: unknown;
  readonly attempts: number;
  readonly consumerGroup?: string;
}

/**
 * The dead-letter copy of a failed record: same key and value, every original header,
 * plus the origin headers. Trace context is NOT set here: the send re-injects it from
 * the active span, so the dead-letter consumer lands in the failed message's trace.
 */
export function deadLetterMessage(record: IncomingRecord, { error, attempts, consumerGroup }: DeadLetterCause): OutgoingMessage {
  const message = error instanceof Error ? error.message : String(error);
  const headers: MessageHeaders = { ...record.headers };
  const originalTraceparent = Object.keys(headers).find((key) => key.toLowerCase() === 'traceparent');
  if (originalTraceparent && headers[originalTraceparent] !== undefined) {
    headers[DEAD_LETTER_HEADERS.originalTraceparent] = headers[originalTraceparent];
  }
  headers[DEAD_LETTER_HEADERS.topic] = record.topic;
  headers[DEAD_LETTER_HEADERS.partition] = String(record.partition);
  headers[DEAD_LETTER_HEADERS.offset] = record.offset;
  if (consumerGroup) headers[DEAD_LETTER_HEADERS.consumerGroup] = consumerGroup;
  headers[DEAD_LETTER_HEADERS.attempts] = String(attempts);
  headers[DEAD_LETTER_HEADERS.errorType] = errorType(error);
  headers[DEAD_LETTER_HEADERS.errorMessage] =
    message.length > MAX_DEAD_LETTER_ERROR_LENGTH ? `${message.slice(0, MAX_DEAD_LETTER_ERROR_LENGTH - 1)}…` : message;
  return { key: record.key, value: record.value, headers };
}
