// Pattern: retries and dead letters. Bounded attempts, each its own CONSUMER span, then
// the dead-letter topic: never an endless redelivery, never a lost record.
import { context, type Span } from '@opentelemetry/api';
import { ATTR_DEAD_LETTERED, ATTR_RETRY_SCHEDULED } from './custom-attributes.js';
import { deadLetterMessage, deadLetterTopicOf } from './dead-letter.js';
import { sendHandoff, type Handoff } from './handoff.js';
import { isPoisonMessage } from './poison-message.js';
import type { IncomingRecord, RecordSender } from './record.js';
import type { RecordOrigin } from './record-origin.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, validateRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { readRetryDelivery, retryMessage, retryTopicOf } from './retry-topic.js';
import { processTraced, type ProcessOptions } from './traced-process.js';

/** kafkajs' default heartbeat interval; the member must heartbeat at least this often. */
const DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;

/** Options of {@link processWithRetries}. */
export interface RetryOptions extends Omit<ProcessOptions, 'attempt'> {
  /** Produces the retry and dead-letter records (usually the service's own producer). */
  readonly sender: RecordSender;
  /** Attempts, backoff and where the record waits; default {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: RetryPolicy;
  /** Dead-letter topic of a topic; default `<topic>.dlq`. */
  readonly deadLetterTopicFor?: (topic: string) => string;
  /** Retry topic of a topic (mode `retry-topic`); default `<topic>.retry`. */
  readonly retryTopicFor?: (topic: string) => string;
  /** Keeps the group membership during blocking waits (kafkajs' `heartbeat`). */
  readonly heartbeat?: () => Promise<void>;
  /** How often to heartbeat while waiting; default 3000 ms, kafkajs' default. */
  readonly heartbeatIntervalMs?: number;
  /** False once the consumer stops or the batch went stale: a blocking wait gives up. */
  readonly isActive?: () => boolean;
  /** Test seams: time, waiting and randomness. */
  readonly clock?: Partial<RetryClock>;
}

/** Time, waiting and randomness, replaceable in tests. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

const SYSTEM_CLOCK: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** The system clock with a test's overrides applied. */
export const clockWith = (overrides: Partial<RetryClock> | undefined): RetryClock => ({ ...SYSTEM_CLOCK, ...overrides });

/** Which delivery of a record the handler sees, and for which topic's handler. */
export interface Delivery {
  /** 1 for the first delivery; continues across retry-topic hops and restarts. */
  readonly attempt: number;
  /** The topic whose handler should run: the origin topic, also for a retry record. */
  readonly topic: string;
}

/**
 * What became of a record. Commit its offset for `processed`, `retry-scheduled` and
 * `dead-lettered`. Do NOT commit for `held` (its hand-off could not be produced: pause
 * the partition and send `handoff` again later, without re-running the handler) nor for
 * `interrupted` (the consumer stopped during a blocking wait: it is delivered again).
 */
export type RecordOutcome =
  | { readonly status: 'processed'; readonly attempts: number }
  | { readonly status: 'retry-scheduled'; readonly attempts: number; readonly error: unknown; readonly dueAt: number }
  | { readonly status: 'dead-lettered'; readonly attempts: number; readonly error: unknown }
  | { readonly status: 'held'; readonly attempts: number; readonly error: unknown; readonly handoff: Handoff }
  | { readonly status: 'interrupted'; readonly attempts: number; readonly error: unknown };

/**
 * Processes a record with bounded retries and a dead-letter topic, so a failing record is
 * never redelivered forever (kafkajs' default when a handler throws) and never lost.
 *
 * Each attempt is its own CONSUMER span (attempt number, ERROR on failure). Between
 * attempts the record waits as the policy's mode says: in the consumer (heartbeating
 * every `heartbeatIntervalMs`), or on the retry topic, re-published from inside the
 * failed attempt's span. After the last attempt, or at once for a poison error
 * ({@link isPoisonMessage}), it is sent to the dead-letter topic, also from inside the
 * failed attempt's span: retry hops and dead letter stay in the failed message's trace.
 */
export async function processWithRetries(
  record: IncomingRecord,
  handler: (span: Span, delivery: Delivery) => unknown,
  {
    sender,
    retry = DEFAULT_RETRY_POLICY,
    deadLetterTopicFor = deadLetterTopicOf,
    retryTopicFor = retryTopicOf,
    heartbeat,
    heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS,
    isActive = () => true,
    clock: clockOverrides,
    ...processOptions
  }: RetryOptions,
): Promise<RecordOutcome> {
  const policy = validateRetryPolicy(retry);
  const clock = clockWith(clockOverrides);
  const retried = readRetryDelivery(record, retryTopicFor);
  const origin: RecordOrigin = retried?.origin ?? {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    ...(record.timestamp !== undefined ? { timestamp: record.timestamp } : {}),
  };
  const handoffOptions = { sender, tracing: processOptions.tracing, tracer: processOptions.tracer, sleep: clock.sleep, random: clock.random };

  for (let attempt = retried?.attempt ?? 1; ; attempt++) {
    let decided: RecordOutcome | undefined;
    try {
      await processTraced(
        record,
        async (span) => {
          try {
            return await handler(span, { attempt, topic: origin.topic });
          } catch (error) {
            decided = await afterFailure(span, error, attempt);
            throw error;
          }
        },
        { ...processOptions, attempt },
      );
      return { status: 'processed', attempts: attempt };
    } catch (error) {
      if (decided) return decided;
      const waited = await waitWithHeartbeats(retryDelayMs(policy, attempt, clock.random), { heartbeat, heartbeatIntervalMs, isActive, sleep: clock.sleep });
      if (!waited) return { status: 'interrupted', attempts: attempt, error };
    }
  }

  /** Decides, inside the failed attempt's span, whether and where the record moves on. */
  async function afterFailure(span: Span, error: unknown, attempt: number): Promise<RecordOutcome | undefined> {
    const last = attempt >= policy.maxAttempts || isPoisonMessage(error);
    if (!last && (policy.mode ?? 'blocking') === 'blocking') return undefined;
    const attributes = processOptions.attributes;
    if (last) {
      const handoff: Handoff = {
        kind: 'dead-letter',
        topic: deadLetterTopicFor(origin.topic),
        message: deadLetterMessage(record, { error, attempts: attempt, consumerGroup: processOptions.consumerGroup, origin }),
        parent: context.active(),
        ...(attributes ? { attributes } : {}),
      };
      if (!(await sendHandoff(handoff, handoffOptions))) return { status: 'held', attempts: attempt, error, handoff };
      span.setAttribute(ATTR_DEAD_LETTERED, true);
      return { status: 'dead-lettered', attempts: attempt, error };
    }
    const dueAt = clock.now() + retryDelayMs(policy, attempt, clock.random);
    const handoff: Handoff = {
      kind: 'retry',
      topic: retryTopicFor(origin.topic),
      message: retryMessage(record, { error, nextAttempt: attempt + 1, dueAt, origin }),
      parent: context.active(),
      ...(attributes ? { attributes } : {}),
    };
    if (!(await sendHandoff(handoff, handoffOptions))) return { status: 'held', attempts: attempt, error, handoff };
    span.setAttribute(ATTR_RETRY_SCHEDULED, true);
    return { status: 'retry-scheduled', attempts: attempt, error, dueAt };
  }
}

/** What a blocking wait needs to keep the group membership and notice a stop. */
interface WaitOptions {
  readonly heartbeat: (() => Promise<void>) | undefined;
  readonly heartbeatIntervalMs: number;
  readonly isActive: () => boolean;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Waits `ms` in slices no longer than the heartbeat interval, heartbeating after each,
 * so a long backoff never costs the group membership. Returns false (stop waiting) once
 * the consumer is no longer active. A heartbeat that fails because the group is
 * rebalancing rejects: the record stays uncommitted and the client re-joins.
 */
async function waitWithHeartbeats(ms: number, { heartbeat, heartbeatIntervalMs, isActive, sleep }: WaitOptions): Promise<boolean> {
  let remaining = ms;
  await heartbeat?.();
  while (remaining > 0) {
    if (!isActive()) return false;
    const slice = Math.min(remaining, heartbeatIntervalMs);
    await sleep(slice);
    remaining -= slice;
    await heartbeat?.();
  }
  return isActive();
}
