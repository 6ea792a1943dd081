export { ATTR_DEAD_LETTERED, ATTR_DELIVERY_ATTEMPT, ATTR_JOB_ITEMS, ATTR_JOB_LINKS_DROPPED, ATTR_JOB_NAME, ATTR_JOB_TRIGGER } from './custom-attributes.js';
export { DEAD_LETTER_HEADERS, MAX_DEAD_LETTER_ERROR_LENGTH, deadLetterMessage, deadLetterTopicOf, type DeadLetterCause } from './dead-letter.js';
export { MAX_PROPAGATION_HEADER_BYTES, headerGetter, headerSetter, headerText } from './header-carrier.js';
export { consumerAttributes, processSpanName, producerAttributes, sendSpanName } from './messaging-attributes.js';
export type { HeaderValue, IncomingRecord, MessageHeaders, OutgoingMessage, RecordSender, SentRecordMetadata } from './record.js';
export { DEFAULT_RETRY_POLICY, PoisonMessageError, retryDelayMs, validateRetryPolicy, type RetryPolicy } from './retry-policy.js';
export { DeadLetterPublishError, processWithRetries, type DeadLetterTarget, type RecordOutcome, type RetryingProcessOptions } from './retrying-process.js';
export { DEFAULT_MAX_JOB_LINKS, captureTraceContext, runLinkedJob, type JobRunOptions, type StoredTraceContext } from './scheduled-job.js';
export { errorType, recordSpanError, runInSpan } from './span-helpers.js';
export { processBatchTraced, processTraced, type ProcessOptions } from './traced-process.js';
export { sendTraced, type SendOptions } from './traced-send.js';
export { INSTRUMENTATION_SCOPE } from './tracer.js';
export {
  DEFAULT_TRACING_OPTIONS,
  tracingOptionsFromEnv,
  type ConsumerParentMode,
  type FanoutMode,
  type KafkaTracingOptions,
  type PropagationMode,
  TracingOptionsError,
} from './tracing-options.js';
