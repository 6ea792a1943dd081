import { context, createContextKey, type Attributes } from '@opentelemetry/api';
import type { Producer, RecordMetadata } from 'kafkajs';
import { sendTraced, type KafkaTracingOptions } from '@mqtrace/kafka-tracing';
import { kafkaJsSender } from '@mqtrace/kafka-tracing/kafkajs';

/**
 * Business attributes of the messages about to be sent, one entry per message, computed
 * from the caller's data before Nest serialises it and carried to the producer in the
 * active context (Nest's client calls the producer deep inside its own code).
 */
const MESSAGE_ATTRIBUTES = createContextKey('@mqtrace/nest-kafka-tracing message attributes');

/** Runs `send` with per-message business attributes for the producer to pick up. */
export function withMessageAttributes<T>(attributes: ReadonlyArray<Attributes | undefined>, send: () => T): T {
  return context.with(context.active().setValue(MESSAGE_ATTRIBUTES, attributes), send);
}

/** How the traced producer places its spans. */
export interface TracedProducerSettings {
  readonly switches: KafkaTracingOptions;
  readonly relation: 'child' | 'fanout';
}

/**
 * Makes a kafkajs producer's `send` trace each message: one PRODUCER span per message,
 * its context injected into the message headers, the caller's attributes on it. Every
 * path of Nest's Kafka client (`emit`, `emitBatch`, `send`) ends in this `send`.
 * (`sendBatch`, which Nest does not use, stays untraced.)
 */
export function traceProducerSends(producer: Producer, { switches, relation }: TracedProducerSettings): Producer {
  const rawSend = producer.send.bind(producer);
  producer.send = async ({ topic, messages, ...options }) => {
    const attributes = context.active().getValue(MESSAGE_ATTRIBUTES) as ReadonlyArray<Attributes | undefined> | undefined;
    let acknowledged: RecordMetadata[] = [];
    const sender = kafkaJsSender({
      send: async (record) => {
        acknowledged = await rawSend({ ...options, ...record });
        return acknowledged;
      },
    });
    await sendTraced(sender, topic, messages, { relation, tracing: switches, attributes: (_message, index) => attributes?.[index] });
    return acknowledged;
  };
  return producer;
}
