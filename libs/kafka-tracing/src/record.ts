/**
 * The library's own view of Kafka records: plain structural types, so nothing outside
 * `src/kafkajs/` depends on the Kafka client library.
 */

/** A header value as Kafka clients hand it over: bytes, text, repeated, or missing. */
export type HeaderValue = Buffer | string | ReadonlyArray<Buffer | string> | undefined;

/** Record headers, keyed by header name (Kafka header names are case-sensitive bytes). */
export type MessageHeaders = Record<string, HeaderValue>;

/** A message about to be produced. */
export interface OutgoingMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: MessageHeaders;
  partition?: number;
  timestamp?: string;
}

/** A consumed record, with where it came from. */
export interface IncomingRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers: MessageHeaders;
  /** The record's timestamp (milliseconds since the epoch, as text), when the client gives it. */
  readonly timestamp?: string;
}

/** What the broker acknowledged for one partition of a send. */
export interface SentRecordMetadata {
  readonly topicName: string;
  readonly partition: number;
  readonly baseOffset?: string;
}

/** Anything that can produce messages to a topic: the one seam to the Kafka client. */
export interface RecordSender {
  send(topic: string, messages: OutgoingMessage[]): Promise<SentRecordMetadata[]>;
}
