export { RethrowRpcErrorsFilter } from './rethrow-rpc-errors.filter.js';
export { TracedClientKafka } from './traced-client-kafka.js';
export { TracedServerKafka } from './traced-server-kafka.js';
export type { TracingTransportOptions, WithTracing } from './tracing-transport-options.js';
