// Pattern: messaging attributes. The span names and attributes of the current OpenTelemetry
// messaging semantic conventions, from the package's constants, never typed by hand.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_KAFKA_MESSAGE_KEY,
  ATTR_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_KAFKA_OFFSET,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM_NAME,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_SYSTEM_NAME_VALUE_KAFKA,
} from '@opentelemetry/semantic-conventions/incubating';
import { withLegacyNames } from './legacy-messaging-attributes.js';
import type { IncomingRecord, OutgoingMessage } from './record.js';
import type { MessagingSemconv } from './tracing-options.js';

// Messaging attributes are still "development" in the semantic conventions, so they come
// from the incubating entry point; @opentelemetry/semantic-conventions is pinned to a
// minor release (`~`) because incubating names may change between minors.

/** Longest message key recorded on a span; keys are ids, not payloads. */
const MAX_KEY_LENGTH = 256;

/** Span name for sending to a topic, per the messaging conventions: `send <topic>`. */
export const sendSpanName = (topic: string): string => `send ${topic}`;

/** Span name for processing a record of a topic: `process <topic>`. */
export const processSpanName = (topic: string): string => `process ${topic}`;

/**
 * Attributes of a PRODUCER span for one message. A message sent in a batch still gets a
 * span of its own (its consumer needs a context of its own), with the batch size in
 * `messaging.batch.message_count`; a single send leaves it out, as the conventions ask.
 */
export function producerAttributes(topic: string, message: OutgoingMessage, batchSize: number, semconv: MessagingSemconv): Attributes {
  return withLegacyNames(semconv, {
    [ATTR_MESSAGING_SYSTEM_NAME]: MESSAGING_SYSTEM_NAME_VALUE_KAFKA,
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
    [ATTR_MESSAGING_OPERATION_NAME]: 'send',
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_SEND,
    ...keyAttribute(message.key),
    ...(message.partition !== undefined ? { [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(message.partition) } : {}),
    ...(message.value === null ? { [ATTR_KAFKA_MESSAGE_TOMBSTONE]: true } : {}),
    ...(batchSize > 1 ? { [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: batchSize } : {}),
  });
}

/** Attributes of a PRODUCER span once the broker acknowledged the message alone. */
export function acknowledgedAttributes(partition: number, offset: string | undefined, semconv: MessagingSemconv): Attributes {
  return withLegacyNames(semconv, {
    [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(partition),
    ...(offset !== undefined ? { [ATTR_KAFKA_OFFSET]: Number(offset) } : {}),
  });
}

/** Attributes of a CONSUMER span for one record. */
export function consumerAttributes(record: IncomingRecord, consumerGroup: string | undefined, semconv: MessagingSemconv): Attributes {
  return withLegacyNames(semconv, {
    [ATTR_MESSAGING_SYSTEM_NAME]: MESSAGING_SYSTEM_NAME_VALUE_KAFKA,
    [ATTR_MESSAGING_DESTINATION_NAME]: record.topic,
    [ATTR_MESSAGING_OPERATION_NAME]: 'process',
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
    [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(record.partition),
    [ATTR_KAFKA_OFFSET]: Number(record.offset),
    ...keyAttribute(record.key),
    ...(consumerGroup ? { [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: consumerGroup } : {}),
    ...(record.value === null ? { [ATTR_KAFKA_MESSAGE_TOMBSTONE]: true } : {}),
  });
}

function keyAttribute(key: Buffer | string | null | undefined): Attributes {
  if (key === null || key === undefined) return {};
  const text = Buffer.isBuffer(key) ? key.toString('utf8') : key;
  return { [ATTR_KAFKA_MESSAGE_KEY]: text.slice(0, MAX_KEY_LENGTH) };
}
