/**
 * The only place the library touches kafkajs (unmaintained since 2023). Swapping the
 * Kafka client means rewriting this file: the rest speaks `IncomingRecord`,
 * `RecordSender` and `BatchControl`.
 */
import type { Consumer, ConsumerRunConfig, EachBatchPayload, EachMessagePayload, IHeaders, KafkaMessage, Message, Producer, RecordMetadata } from 'kafkajs';
import { processBatch, type BatchOptions } from '../batch.js';
import type { ConsumerHealth } from '../consumer-health.js';
import type { IncomingRecord, OutgoingMessage, RecordSender } from '../record.js';
import type { Delivery } from '../retries.js';
import { assertFitsRebalanceTimeout, DEFAULT_RETRY_POLICY, RetryPolicyError, type RetryPolicy } from '../retry-policy.js';

/** kafkajs' defaults, which the retry policy is checked against unless told otherwise. */
const KAFKAJS_DEFAULT_REBALANCE_TIMEOUT_MS = 60_000;
const KAFKAJS_DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;

/** Views a kafkajs message as an {@link IncomingRecord} (no copy of key, value or headers). */
export function recordFromKafkaJs(topic: string, partition: number, message: KafkaMessage): IncomingRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
    ...(message.timestamp ? { timestamp: message.timestamp } : {}),
  };
}

/** A {@link RecordSender} on a connected kafkajs producer. */
export function kafkaJsSender(producer: Pick<Producer, 'send'>): RecordSender {
  return {
    send: async (topic, messages) => {
      const metadata: RecordMetadata[] = await producer.send({ topic, messages: messages.map(toKafkaJsMessage) });
      return metadata.map(({ topicName, partition, baseOffset }) => ({ topicName, partition, ...(baseOffset !== undefined ? { baseOffset } : {}) }));
    },
  };
}

/** kafkajs wants mutable header arrays; the library's types are read-only. */
function toKafkaJsMessage({ headers = {}, ...message }: OutgoingMessage): Message {
  const copy: IHeaders = {};
  for (const [key, value] of Object.entries(headers)) copy[key] = Array.isArray(value) ? [...value] : (value as Buffer | string | undefined);
  return { ...message, headers: copy };
}

/** The consumer group's timing, to check a blocking retry policy against. */
export interface GroupTimeouts {
  /** The consumer's `rebalanceTimeout`; default kafkajs' 60000 ms. */
  readonly rebalanceTimeoutMs?: number;
  /** The consumer's `heartbeatInterval`; default kafkajs' 3000 ms. */
  readonly heartbeatIntervalMs?: number;
}

/**
 * Checks a retry policy against the consumer group's timing (kafkajs' defaults where
 * `group` leaves them out) and returns the heartbeat interval blocking waits must keep.
 * Throws {@link RetryPolicyError} for a blocking policy that could outlast the rebalance
 * timeout. Every traced consumer calls it where it is built.
 */
export function checkedHeartbeatInterval(retry: RetryPolicy | undefined, group: GroupTimeouts = {}): number {
  assertFitsRebalanceTimeout(retry ?? DEFAULT_RETRY_POLICY, group.rebalanceTimeoutMs ?? KAFKAJS_DEFAULT_REBALANCE_TIMEOUT_MS);
  return group.heartbeatIntervalMs ?? KAFKAJS_DEFAULT_HEARTBEAT_INTERVAL_MS;
}

/** Options of {@link tracedBatchRun}. */
export type TracedRunOptions = Omit<BatchOptions, 'heartbeatIntervalMs'> & { readonly group?: GroupTimeouts };

/** A handler of one record, told which delivery it is. */
export type RecordHandler = (record: IncomingRecord, delivery: Delivery) => unknown;

/**
 * The `consumer.run()` settings of a traced consumer: `consumer.run({ ...tracedBatchRun(handle, options) })`.
 * Each record gets its own CONSUMER span and context, bounded retries (blocking or
 * through the retry topic) and a dead-letter topic; offsets are resolved one record at
 * a time (auto-resolve is off, so a batch cut short is fetched again from the first
 * record not done). Subscribe to the retry topics too in `retry-topic` mode
 * (`retryTopicOf(topic)`). Throws {@link RetryPolicyError} at once for a blocking policy
 * that could outlast the group's rebalance timeout.
 */
export function tracedBatchRun(handler: RecordHandler, { group = {}, ...options }: TracedRunOptions): Pick<ConsumerRunConfig, 'eachBatch' | 'eachBatchAutoResolve'> {
  const heartbeatIntervalMs = checkedHeartbeatInterval(options.retry, group);
  return {
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, pause, isRunning, isStale }: EachBatchPayload) => {
      const records = batch.messages.map((message) => recordFromKafkaJs(batch.topic, batch.partition, message));
      await processBatch(records, (record, _span, delivery) => handler(record, delivery), { isRunning, isStale, resolveOffset, heartbeat, pause }, { ...options, heartbeatIntervalMs });
    },
  };
}

/**
 * Keeps a consumer's health to the partitions it owns: after each rebalance, held records
 * and pauses of partitions that went to another member are forgotten (see
 * `ConsumerHealth.keepOnly`). Returns the function that stops watching.
 */
export function watchAssignments(consumer: Pick<Consumer, 'on' | 'events'>, health: ConsumerHealth): () => void {
  return consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => health.keepOnly(payload.memberAssignment));
}

/** A record that must not be committed yet; kafkajs delivers it again after the pause. */
export class RecordNotDoneError extends Error {
  override readonly name = 'RecordNotDoneError';
}

/**
 * An `eachMessage` handler with the same spans, blocking retries and dead letters as
 * {@link tracedBatchRun}, for code that must stay on `eachMessage`. kafkajs commits a
 * record when `eachMessage` returns, so a record that is not done (its hand-off failed,
 * or the consumer stopped mid-wait) pauses its partition and rejects with
 * {@link RecordNotDoneError}. Retry topics need the batch form (a record that is not due
 * must stay uncommitted without an error); asking for them here throws at once.
 */
export function tracedEachMessage(handler: RecordHandler, { group = {}, ...options }: TracedRunOptions): (payload: EachMessagePayload) => Promise<void> {
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  if (policy.mode === 'retry-topic') throw new RetryPolicyError("retry-topic mode needs tracedBatchRun: eachMessage cannot leave a record uncommitted without an error");
  const heartbeatIntervalMs = checkedHeartbeatInterval(policy, group);
  return async ({ topic, partition, message, heartbeat, pause }) => {
    const record = recordFromKafkaJs(topic, partition, message);
    let resolved = false;
    const control = { isRunning: () => true, isStale: () => false, resolveOffset: () => void (resolved = true), heartbeat, pause };
    const result = await processBatch([record], (one, _span, delivery) => handler(one, delivery), control, { ...options, heartbeatIntervalMs });
    if (!resolved) throw new RecordNotDoneError(`${topic}[${partition}]@${message.offset} is not done (${result.stoppedBy ?? 'unknown'}); it will be delivered again`);
  };
}
