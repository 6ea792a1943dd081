/**
 * The only place the library touches kafkajs (unmaintained since 2023). Swapping the
 * Kafka client means rewriting this file: the rest speaks `IncomingRecord` and
 * `RecordSender`.
 */
import type { EachBatchPayload, EachMessagePayload, IHeaders, KafkaMessage, Message, Producer, RecordMetadata } from 'kafkajs';
import type { IncomingRecord, OutgoingMessage, RecordSender } from '../record.js';
import { processBatchTraced } from '../traced-process.js';
import { processWithRetries, type RetryingProcessOptions } from '../retrying-process.js';

/** Views a kafkajs message as an {@link IncomingRecord} (no copy of key, value or headers). */
export function recordFromKafkaJs(topic: string, partition: number, message: KafkaMessage): IncomingRecord {
  return { topic, partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers ?? {} };
}

/** A {@link RecordSender} on a connected kafkajs producer. */
export function kafkaJsSender(producer: Pick<Producer, 'send'>): RecordSender {
  return {
    send: async (topic, messages) => {
      const metadata: RecordMetadata[] = await producer.send({ topic, messages: messages.map(toKafkaJsMessage) });
      return metadata.map(({ topicName, partition, baseOffset }) => ({ topicName, partition, ...(baseOffset !== undefined ? { baseOffset } : {}) }));
    },
  };
}

/** kafkajs wants mutable header arrays; the library's types are read-only. */
function toKafkaJsMessage({ headers = {}, ...message }: OutgoingMessage): Message {
  const copy: IHeaders = {};
  for (const [key, value] of Object.entries(headers)) copy[key] = Array.isArray(value) ? [...value] : (value as Buffer | string | undefined);
  return { ...message, headers: copy };
}

/**
 * An `eachMessage` handler for a plain kafkajs consumer: one CONSUMER span per record,
 * bounded retries, then the dead-letter topic. Resolves (kafkajs commits) when the record
 * is processed or dead-lettered; rejects only when dead-lettering failed.
 */
export function tracedEachMessage(
  handler: (record: IncomingRecord) => unknown,
  options: Omit<RetryingProcessOptions, 'heartbeat'>,
): (payload: EachMessagePayload) => Promise<void> {
  return async ({ topic, partition, message, heartbeat }) => {
    const record = recordFromKafkaJs(topic, partition, message);
    await processWithRetries(record, () => handler(record), { ...options, heartbeat });
  };
}

/**
 * An `eachBatch` handler: each record in its own span and context, its offset resolved
 * as soon as it is processed, so a failure redelivers only what was not done.
 */
export function tracedEachBatch(
  handler: (record: IncomingRecord) => unknown,
  options: { readonly consumerGroup?: string } = {},
): (payload: EachBatchPayload) => Promise<void> {
  return async ({ batch, resolveOffset, heartbeat }) => {
    const records = batch.messages.map((message) => recordFromKafkaJs(batch.topic, batch.partition, message));
    await processBatchTraced(records, (record) => handler(record), {
      ...options,
      onProcessed: async (record) => {
        resolveOffset(record.offset);
        await heartbeat();
      },
    });
  };
}
