import type { Attributes } from '@opentelemetry/api';
import type { KafkaOptions } from '@nestjs/microservices';
import type { ConsumerHealth, IncomingRecord, KafkaTracingOptions, RetryPolicy } from '@mqtrace/kafka-tracing';

/** Nest's own Kafka transport options. */
export type KafkaTransportOptions = Required<KafkaOptions>['options'];

/** What {@link TracedServerKafka} adds to Nest's Kafka transport options, under `tracing`. */
export interface TracedServerTracing {
  /** Library switches (`TRACE_*`); default: read from the environment. */
  readonly switches?: KafkaTracingOptions;
  /** Attempts, backoff and where a record waits between them; default 3 blocking attempts. */
  readonly retry?: RetryPolicy;
  /** Dead-letter topic of a topic; default `<topic>.dlq`. */
  readonly deadLetterTopicFor?: (topic: string) => string;
  /** Retry topic of a topic (retry mode `retry-topic`); default `<topic>.retry`. */
  readonly retryTopicFor?: (topic: string) => string;
  /** Business attributes for the CONSUMER span of a record, e.g. `order.id` from the key. */
  readonly consumerAttributesHook?: (record: IncomingRecord) => Attributes | undefined;
  /** Where paused partitions and held records are reported; default a new one (`server.health`). */
  readonly health?: ConsumerHealth;
}

/** Options of {@link TracedServerKafka}: Nest's Kafka options plus `tracing` and `createTopics`. */
export type TracedServerKafkaOptions = KafkaTransportOptions & {
  readonly tracing?: TracedServerTracing;
  /**
   * Topics created, where missing, before the consumer subscribes (with the broker's
   * default partition count and replication factor): for clusters that do not create a
   * topic on first use (`auto.create.topics.enable=false`, the usual production setting),
   * where subscribing to, or dead-lettering into, a missing topic fails. Default none.
   */
  readonly createTopics?: readonly string[];
};
