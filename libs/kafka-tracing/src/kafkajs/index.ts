// @mqtrace/kafka-tracing/kafkajs: the patterns on a kafkajs producer and consumer. The
// only entry point that loads the Kafka client; the root import carries none.
export {
  checkedHeartbeatInterval,
  kafkaJsSender,
  recordFromKafkaJs,
  RecordNotDoneError,
  tracedBatchRun,
  tracedEachMessage,
  watchAssignments,
  type GroupTimeouts,
  type RecordHandler,
  type TracedRunOptions,
} from './kafkajs-adapter.js';
