import type { DynamicModule, Type } from '@nestjs/common';
import { ClientsModule, type ClientProxy } from '@nestjs/microservices';
import type { Attributes } from '@opentelemetry/api';
import { ALL_TOPICS } from '@mqtrace/contracts';
import { headerText, type IncomingRecord, type RetryPolicy } from '@mqtrace/kafka-tracing';
import { TracedClientKafka, TracedServerKafka } from '@mqtrace/nest-kafka-tracing';

/** Injection token of the service's Kafka producer (a `ClientKafka`); PRODUCER spans are children of the active span. */
export const KAFKA_PRODUCER = 'KAFKA_PRODUCER';

/** `order.id` of every span of a journey: every topic of the system is keyed by the order id. */
export const ORDER_ID_ATTRIBUTE = 'order.id';

/** The `order.id` attribute of a record, from its key; none for a record without one. */
export function orderIdOfRecord(record: IncomingRecord): Attributes {
  const key = headerText(record.key ?? undefined);
  return key ? { [ORDER_ID_ATTRIBUTE]: key.slice(0, 64) } : {};
}

/** The `order.id` attribute of an outgoing message `{ key, value }`. */
function orderIdOfMessage(_topic: string, data: unknown): Attributes {
  const key = (data as { key?: unknown } | undefined)?.key;
  return typeof key === 'string' ? { [ORDER_ID_ATTRIBUTE]: key } : {};
}

/** Where a service's Kafka consumer connects and what it is called. */
export interface ServiceConsumerOptions {
  readonly serviceName: string;
  readonly brokers: readonly string[];
  /** Consumer group; default the service name (Nest appends `-server`). */
  readonly groupId?: string;
  /** Attempts and backoff of a failing record; default the library's (3 blocking attempts). */
  readonly retry?: RetryPolicy;
  /**
   * False: do not commit as records are handled; either never (a projection that
   * rereads its topic at every start) or through `commitOffsets()` when the work is
   * really done. Default true.
   */
  readonly commitOffsets?: boolean;
  /**
   * Which `@EventPattern(topic, transportId)` handlers this consumer runs, when a
   * service has two consumers; default Nest's Kafka transport id (handlers without one
   * run on every consumer).
   */
  readonly transportId?: symbol;
  /** The group session timeout (`KAFKA_SESSION_TIMEOUT_MS`); heartbeats go out five times per session. Default 10 s. */
  readonly sessionTimeoutMs?: number;
  /**
   * Topics created, where missing, before subscribing; default every topic of the system
   * (`ALL_TOPICS`), so the services also run on a broker that does not create topics on
   * first use, whichever of them starts first.
   */
  readonly createTopics?: readonly string[];
}

/**
 * The Kafka consumer every service runs: Nest's transport traced by
 * `@mqtrace/nest-kafka-tracing`, `order.id` on each CONSUMER span, reading a new group's
 * topics from the beginning (no record placed before the first start is skipped).
 */
export function serviceKafkaConsumer({ serviceName, brokers, groupId = serviceName, retry, commitOffsets = true, transportId, sessionTimeoutMs = 10_000, createTopics = ALL_TOPICS }: ServiceConsumerOptions): TracedServerKafka {
  const consumer = new TracedServerKafka({
    createTopics,
    client: { clientId: groupId, brokers: [...brokers] },
    consumer: { groupId, sessionTimeout: sessionTimeoutMs, heartbeatInterval: Math.round(sessionTimeoutMs / 5) },
    subscribe: { fromBeginning: true },
    ...(commitOffsets ? {} : { run: { autoCommit: false } }),
    tracing: { consumerAttributesHook: orderIdOfRecord, ...(retry ? { retry } : {}) },
  });
  if (transportId) consumer.setTransportId(transportId);
  return consumer;
}

/** Options of {@link kafkaProducerModule}. */
export interface ProducerModuleOptions {
  readonly serviceName: string;
  readonly brokers: readonly string[];
  /** Injection token; default {@link KAFKA_PRODUCER}. */
  readonly token?: string;
  /** `child` (default) or `fanout` (each message starts a branch, see `TRACE_FANOUT`). */
  readonly relation?: 'child' | 'fanout';
  /**
   * Retries of one send before it fails. Few, so that a caller waiting on the
   * acknowledgement (an HTTP request) hears "Kafka is down" in seconds, not after
   * kafkajs' default half minute.
   */
  readonly sendRetries?: number;
  /**
   * When a caller waits on the acknowledgement with a deadline (order-api's
   * `ORDER_PUBLISH_TIMEOUT_MS`): each request's timeout is cut so that a send, its
   * retries included, settles within about this long. Without it a request waits up to
   * kafkajs' 30 s, and a send the caller already gave up on can still be written when
   * the broker comes back: a `503` for an order that is placed after all. With retries
   * the cut timeout has a cost: under load a slow write that succeeded times out and is
   * sent again (written twice); a caller whose client retries anyway sets
   * `sendRetries: 0`, as order-api does.
   */
  readonly sendTimeoutMs?: number;
}

/** Backoff before each retry of a send (kafkajs randomises it by up to 20 %). */
const SEND_RETRY = { initialRetryTime: 200, maxRetryTime: 2_000 } as const;

/** kafkajs' request and connection timeouts that make a send with `retries` settle within `sendTimeoutMs`. */
export function sendTimeouts(sendTimeoutMs: number, retries: number): { requestTimeout: number; connectionTimeout: number } {
  let backoffs = 0;
  for (let i = 0, pause: number = SEND_RETRY.initialRetryTime; i < retries; i += 1, pause = Math.min(pause * 2, SEND_RETRY.maxRetryTime)) backoffs += pause * 1.2;
  const requestTimeout = Math.max(100, Math.floor((sendTimeoutMs - backoffs) / (retries + 1)));
  return { requestTimeout, connectionTimeout: Math.min(1_000, requestTimeout) };
}

/**
 * A traced Kafka producer (`ClientKafka` in producer-only mode) under `token`: one
 * PRODUCER span per message with `order.id` taken from the message key.
 */
export function kafkaProducerModule({ serviceName, brokers, token = KAFKA_PRODUCER, relation = 'child', sendRetries = 2, sendTimeoutMs }: ProducerModuleOptions): DynamicModule {
  return ClientsModule.register([
    {
      name: token,
      // Nest types customClass as a proxy with string statuses; ClientKafka's are KafkaStatus.
      customClass: TracedClientKafka as unknown as Type<ClientProxy>,
      options: {
        client: { clientId: `${serviceName}-${relation}`, brokers: [...brokers], ...(sendTimeoutMs === undefined ? {} : sendTimeouts(sendTimeoutMs, sendRetries)) },
        producerOnlyMode: true,
        producer: { retry: { retries: sendRetries, ...SEND_RETRY } },
        tracing: { relation, producerAttributesHook: orderIdOfMessage },
      },
    },
  ]);
}
