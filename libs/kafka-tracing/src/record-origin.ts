// Pattern: retries and dead letters, the facts a failed record carries on. Where it was
// first consumed and why it failed, bounded, for the retry and dead-letter headers.
import type { MessageHeaders } from './record.js';
import { errorMessage, errorType } from './span-helpers.js';

/** Where a record was first consumed from. */
export interface RecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The record's own timestamp (milliseconds since the epoch, as text), if known. */
  readonly timestamp?: string;
}

/** Longest error message copied into a retry or dead-letter header. */
export const MAX_ERROR_MESSAGE_LENGTH = 1024;

/** The error's message, cut to {@link MAX_ERROR_MESSAGE_LENGTH} characters. */
export function boundedErrorMessage(error: unknown): string {
  const message = errorMessage(error);
  return message.length > MAX_ERROR_MESSAGE_LENGTH ? `${message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…` : message;
}

/** Header names of one kind of failure record (retry or dead letter). */
export interface FailureHeaderNames {
  readonly topic: string;
  readonly partition: string;
  readonly offset: string;
  readonly timestamp: string;
  readonly errorType: string;
  readonly errorMessage: string;
}

/** Writes origin and error headers under the given names. */
export function writeFailureHeaders(headers: MessageHeaders, names: FailureHeaderNames, origin: RecordOrigin, error: unknown): void {
  headers[names.topic] = origin.topic;
  headers[names.partition] = String(origin.partition);
  headers[names.offset] = origin.offset;
  if (origin.timestamp !== undefined) headers[names.timestamp] = origin.timestamp;
  headers[names.errorType] = errorType(error);
  headers[names.errorMessage] = boundedErrorMessage(error);
}

/** A copy of the headers without any whose name starts with one of the prefixes. */
export function headersWithout(headers: MessageHeaders, prefixes: readonly string[]): MessageHeaders {
  const copy: MessageHeaders = {};
  for (const [key, value] of Object.entries(headers)) {
    if (!prefixes.some((prefix) => key.toLowerCase().startsWith(prefix))) copy[key] = value;
  }
  return copy;
}
