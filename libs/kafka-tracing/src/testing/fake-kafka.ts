/**
 * Test support: a {@link RecordSender} that keeps what was sent instead of talking to a
 * broker, and a way to read a sent message back as a consumed record. For unit tests;
 * the integration tests use the real broker.
 */
import type { IncomingRecord, OutgoingMessage, RecordSender, SentRecordMetadata } from '../record.js';

/** One captured send. */
export interface CapturedSend {
  readonly topic: string;
  readonly messages: OutgoingMessage[];
}

/** A sender that records sends; `failWith` makes every send reject. */
export class CapturingSender implements RecordSender {
  readonly sends: CapturedSend[] = [];
  failWith: Error | undefined;
  private nextOffset = 0;

  async send(topic: string, messages: OutgoingMessage[]): Promise<SentRecordMetadata[]> {
    if (this.failWith) throw this.failWith;
    this.sends.push({ topic, messages });
    const baseOffset = String(this.nextOffset);
    this.nextOffset += messages.length;
    return [{ topicName: topic, partition: 0, baseOffset }];
  }

  /** Every message sent to a topic, in order. */
  messagesTo(topic: string): OutgoingMessage[] {
    return this.sends.filter((send) => send.topic === topic).flatMap((send) => send.messages);
  }
}

/** The record a consumer would receive for a sent message. */
export function asConsumed(topic: string, message: OutgoingMessage, offset = 0, partition = 0): IncomingRecord {
  return { topic, partition, offset: String(offset), key: message.key ?? null, value: message.value, headers: message.headers ?? {} };
}
