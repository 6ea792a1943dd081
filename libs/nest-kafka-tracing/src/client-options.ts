import type { Attributes } from '@opentelemetry/api';
import type { KafkaTracingOptions } from '@mqtrace/kafka-tracing';
import type { KafkaTransportOptions } from './server-options.js';

/** What {@link TracedClientKafka} adds to Nest's Kafka client options, under `tracing`. */
export interface TracedClientTracing {
  /** Library switches (`TRACE_*`); default: read from the environment. */
  readonly switches?: KafkaTracingOptions;
  /**
   * `child` (default): each PRODUCER span is a child of the active span. `fanout`: each
   * message starts a downstream branch, placed as `switches.fanout` says.
   */
  readonly relation?: 'child' | 'fanout';
  /**
   * Business attributes for the PRODUCER span of one message, from the caller's data
   * before serialisation (for `emitBatch`, called once per message).
   */
  readonly producerAttributesHook?: (topic: string, data: unknown) => Attributes | undefined;
}

/** Options of {@link TracedClientKafka}: Nest's Kafka options plus `tracing`. */
export type TracedClientKafkaOptions = KafkaTransportOptions & { readonly tracing?: TracedClientTracing };
