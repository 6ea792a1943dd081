// @mqtrace/kafka-tracing: W3C trace context through Kafka. This file is the table of
// contents, grouped under the README's pattern headings; everything else is internal.
// The kafkajs adapter is the `@mqtrace/kafka-tracing/kafkajs` entry point.

// Carrier: trace context in record headers.
export { headerGetter, headerSetter, headerText, MAX_PROPAGATION_HEADER_BYTES } from './header-carrier.js';
export type { HeaderValue, IncomingRecord, MessageHeaders, OutgoingMessage, RecordSender, SentRecordMetadata } from './record.js';

// Producing, and fan-out.
export { sendTraced, type SendOptions } from './traced-send.js';

// Consuming: one span per record.
export { processTraced, type ProcessOptions } from './traced-process.js';
/** How every span of the library is marked failed; for integrations that learn of an error outside the handler. */
export { recordSpanError } from './span-helpers.js';

// Retries and dead letters.
export { processWithRetries, type Delivery, type RecordOutcome, type RetryClock, type RetryOptions } from './retries.js';
export { assertFitsRebalanceTimeout, DEFAULT_RETRY_POLICY, RetryPolicyError, type RetryMode, type RetryPolicy } from './retry-policy.js';
export { isPoisonMessage, PoisonMessageError } from './poison-message.js';
export { RETRY_HEADERS, retryTopicOf } from './retry-topic.js';
export { DEAD_LETTER_HEADERS, deadLetterTopicOf } from './dead-letter.js';
export { MAX_ERROR_MESSAGE_LENGTH } from './record-origin.js';
export type { Handoff } from './handoff.js';

// Batches, and what a consumer reports about itself.
export { processBatch, type BatchControl, type BatchOptions, type BatchResult } from './batch.js';
export { ConsumerHealth, type PausedPartition, type PauseReason } from './consumer-health.js';

// Scheduled jobs.
export { captureTraceContext, DEFAULT_MAX_JOB_LINKS, runLinkedJob, type JobRunOptions, type StoredTraceContext } from './scheduled-job.js';

// Switches, naive mode included.
export {
  DEFAULT_TRACING_OPTIONS,
  tracingOptionsFromEnv,
  TracingOptionsError,
  type ConsumerParentMode,
  type FanoutMode,
  type KafkaTracingOptions,
  type MessagingSemconv,
  type PropagationMode,
} from './tracing-options.js';

// Names this library adds where the semantic conventions have none.
export {
  ATTR_DEAD_LETTERED,
  ATTR_DELIVERY_ATTEMPT,
  ATTR_JOB_ITEMS,
  ATTR_JOB_LINKS_DROPPED,
  ATTR_JOB_NAME,
  ATTR_JOB_TRIGGER,
  ATTR_RETRY_SCHEDULED,
} from './custom-attributes.js';
export { INSTRUMENTATION_SCOPE } from './tracer.js';
