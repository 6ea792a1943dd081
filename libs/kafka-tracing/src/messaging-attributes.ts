import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_SYSTEM_VALUE_KAFKA,
} from '@opentelemetry/semantic-conventions/incubating';
import type { IncomingRecord, OutgoingMessage } from './record.js';

// Messaging attributes are still "development" in the semantic conventions, so they come
// from the incubating entry point; @opentelemetry/semantic-conventions is pinned to a
// minor release because incubating names may change between minors.

/** Longest message key recorded on a span; keys are ids, not payloads. */
const MAX_KEY_LENGTH = 256;

/** Span name for sending to a topic, per the messaging conventions: `send <topic>`. */
export const sendSpanName = (topic: string): string => `send ${topic}`;

/** Span name for processing a record of a topic: `process <topic>`. */
export const processSpanName = (topic: string): string => `process ${topic}`;

/** Attributes of a PRODUCER span for one message. */
export function producerAttributes(topic: string, message: OutgoingMessage): Attributes {
  return {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_KAFKA,
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
    [ATTR_MESSAGING_OPERATION_NAME]: 'send',
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_SEND,
    ...keyAttribute(message.key),
    ...(message.partition !== undefined ? { [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(message.partition) } : {}),
    ...(message.value === null ? { [ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE]: true } : {}),
  };
}

/** Attributes of a CONSUMER span for one record. */
export function consumerAttributes(record: IncomingRecord, consumerGroup: string | undefined): Attributes {
  return {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_KAFKA,
    [ATTR_MESSAGING_DESTINATION_NAME]: record.topic,
    [ATTR_MESSAGING_OPERATION_NAME]: 'process',
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
    [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(record.partition),
    [ATTR_MESSAGING_KAFKA_OFFSET]: Number(record.offset),
    ...keyAttribute(record.key),
    ...(consumerGroup ? { [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: consumerGroup } : {}),
    ...(record.value === null ? { [ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE]: true } : {}),
  };
}

function keyAttribute(key: Buffer | string | null | undefined): Attributes {
  if (key === null || key === undefined) return {};
  const text = Buffer.isBuffer(key) ? key.toString('utf8') : key;
  return { [ATTR_MESSAGING_KAFKA_MESSAGE_KEY]: text.slice(0, MAX_KEY_LENGTH) };
}
