// @mqtrace/nest-kafka-tracing: the NestJS face of @mqtrace/kafka-tracing.
export type { TracedClientKafkaOptions, TracedClientTracing } from './client-options.js';
export { RethrowRpcErrorsFilter } from './rethrow-rpc-errors.filter.js';
export type { KafkaTransportOptions, TracedServerKafkaOptions, TracedServerTracing } from './server-options.js';
export { TracedClientKafka } from './traced-client-kafka.js';
export { TracedServerKafka } from './traced-server-kafka.js';
