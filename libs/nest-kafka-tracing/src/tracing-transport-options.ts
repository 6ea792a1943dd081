import type { Attributes } from '@opentelemetry/api';
import type { IncomingRecord, KafkaTracingOptions, RetryPolicy } from '@mqtrace/kafka-tracing';

/**
 * Tracing settings carried in the `tracing` field of the Kafka transport options, so
 * they reach the server and client through Nest's own option plumbing
 * (`connectMicroservice`, `ClientsModule.register({ customClass })`).
 */
export interface TracingTransportOptions {
  /** Library switches; default: read from the environment (`TRACE_*`). */
  readonly tracing?: KafkaTracingOptions;
  /** Server: retries before dead-lettering; default 3 attempts. */
  readonly retry?: RetryPolicy;
  /** Server: dead-letter topic of a topic; default `<topic>.dlq`. */
  readonly deadLetterTopic?: (topic: string) => string;
  /** Server: business attributes for each CONSUMER span, e.g. `order.id` from the key. */
  readonly consumerAttributes?: (record: IncomingRecord) => Attributes;
  /**
   * Client: `child` (default) makes each emit's PRODUCER span a child of the active
   * span; `fanout` starts a downstream branch as `tracing.fanout` says.
   */
  readonly relation?: 'child' | 'fanout';
  /** Client: business attributes for each PRODUCER span of an emit. */
  readonly producerAttributes?: (pattern: string, data: unknown) => Attributes;
}

/** Transport options plus the `tracing` field. */
export type WithTracing<T> = T & { readonly tracing?: TracingTransportOptions };
