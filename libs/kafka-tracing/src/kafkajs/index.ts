// @mqtrace/kafka-tracing/kafkajs: the patterns on a kafkajs producer and consumer. The
// only entry point that loads the Kafka client; the root import carries none.
import { quietIdleRequestQueues } from './idle-request-queue.js';

// kafkajs 2.2.4 polls each idle connection every millisecond; fixed for every process
// that loads this entry, before it opens a connection (see idle-request-queue.ts).
quietIdleRequestQueues();

export { kafkaJsRequestQueue, quietIdleRequestQueues, type RequestQueueClass, type RequestQueueInternals } from './idle-request-queue.js';
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
