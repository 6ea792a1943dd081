// @mqtrace/nest-kafka-tracing: the NestJS face of @mqtrace/kafka-tracing.
export type { ConsumerState, KafkaReadiness } from './kafka-readiness.js';
export type { TracedClientKafkaOptions, TracedClientTracing } from './client-options.js';
export { RethrowRpcErrorsFilter } from './rethrow-rpc-errors.filter.js';
export type { KafkaTransportOptions, TracedServerKafkaOptions, TracedServerTracing } from './server-options.js';
export { TracedClientKafka } from './traced-client-kafka.js';
export { TracedServerKafka } from './traced-server-kafka.js';

// Patterns a Nest service calls itself (not through the transport), re-exported so an
// app needs only this library: scheduled jobs linked to the traces of their items.
export { captureTraceContext, runLinkedJob, type JobRunOptions, type StoredTraceContext } from '@mqtrace/kafka-tracing';
