// Pattern: batches. One span and one context per record, never one for the batch, with
// the same bounded retries and dead letters as single records, and a stop when told.
import type { Attributes, Span } from '@opentelemetry/api';
import { ConsumerHealth } from './consumer-health.js';
import { sendHandoff } from './handoff.js';
import type { IncomingRecord } from './record.js';
import { readRetryDelivery, retryTopicOf } from './retry-topic.js';
import { clockWith, processWithRetries, type Delivery, type RecordOutcome, type RetryOptions } from './retries.js';

/** Pause after a failed hand-off, doubling per failure up to the cap. */
const HELD_PAUSE_MS = { first: 1_000, max: 30_000 } as const;

/**
 * What a Kafka client offers a batch handler; kafkajs' `eachBatch` payload has all of it.
 * The library never commits on its own: it resolves the offset of each record that is
 * done, and the client commits resolved offsets.
 */
export interface BatchControl {
  /** False once the consumer is stopping: finish the record in hand, start no other. */
  isRunning(): boolean;
  /** True when the batch is outdated (a rebalance or a seek): its remaining records are not ours. */
  isStale(): boolean;
  /** Marks a record done, so its offset can be committed. */
  resolveOffset(offset: string): void;
  /** Tells the group coordinator the member is alive. */
  heartbeat(): Promise<void>;
  /** Pauses fetching from this batch's partition; returns the function that resumes it. */
  pause(): () => void;
}

/** Options of {@link processBatch}. */
export interface BatchOptions extends Omit<RetryOptions, 'heartbeat' | 'isActive'> {
  /** The consumer's state across batches (paused partitions, held records). */
  readonly health: ConsumerHealth;
  /** Business attributes of one record (e.g. `order.id` from its key), added to `attributes`. */
  readonly recordAttributes?: (record: IncomingRecord) => Attributes | undefined;
}

/** How far a batch got. */
export interface BatchResult {
  /** Records done (processed, sent to retry, or dead-lettered) and resolved. */
  readonly done: number;
  /** Why it stopped before the end, if it did. */
  readonly stoppedBy?: 'not-running' | 'stale' | 'retry-not-due' | 'handoff-failed' | 'interrupted';
}

/**
 * Processes the records of one partition's batch in order, each in its own CONSUMER span
 * with its own extracted context, with bounded retries and a dead-letter topic: a
 * throwing handler never makes the client redeliver the batch forever.
 *
 * It stops early, leaving the rest unresolved for the next fetch, when the consumer
 * stops or the batch goes stale; when a retry record is not due yet (the partition is
 * paused until it is); and when a record's hand-off could not be produced (the
 * partition is paused, the record held: on redelivery only the hand-off is sent again,
 * the handler does not run twice, and `health.degraded()` reports it meanwhile).
 */
export async function processBatch(
  records: readonly IncomingRecord[],
  handler: (record: IncomingRecord, span: Span, delivery: Delivery) => unknown,
  control: BatchControl,
  { health, recordAttributes, ...options }: BatchOptions,
): Promise<BatchResult> {
  const clock = clockWith(options.clock);
  const now = () => clock.now();
  const isActive = () => control.isRunning() && !control.isStale();
  let done = 0;
  for (const record of records) {
    if (!control.isRunning()) return { done, stoppedBy: 'not-running' };
    if (control.isStale()) return { done, stoppedBy: 'stale' };

    const held = health.heldHandoff(record);
    if (held) {
      const sent = await sendHandoff(held, {
        sender: options.sender,
        tracing: options.tracing,
        tracer: options.tracer,
        sleep: clock.sleep,
        random: clock.random,
      });
      if (!sent) return holdAndPause(record, held, done);
      health.release(record);
    } else {
      const retried = readRetryDelivery(record, options.retryTopicFor ?? retryTopicOf);
      if (retried && retried.dueAt > now()) {
        health.pauseUntil(record, 'retry-not-due', retried.dueAt, control.pause, now());
        return { done, stoppedBy: 'retry-not-due' };
      }
      const outcome: RecordOutcome = await processWithRetries(record, (span, delivery) => handler(record, span, delivery), {
        ...options,
        attributes: { ...options.attributes, ...recordAttributes?.(record) },
        heartbeat: () => control.heartbeat(),
        isActive,
      });
      if (outcome.status === 'held') return holdAndPause(record, outcome.handoff, done);
      if (outcome.status === 'interrupted') return { done, stoppedBy: 'interrupted' };
    }
    control.resolveOffset(record.offset);
    done++;
    await control.heartbeat();
  }
  return { done };

  function holdAndPause(record: IncomingRecord, handoff: Parameters<ConsumerHealth['hold']>[1], doneSoFar: number): BatchResult {
    const failures = health.hold(record, handoff);
    const pauseMs = Math.min(HELD_PAUSE_MS.max, HELD_PAUSE_MS.first * 2 ** (failures - 1));
    health.pauseUntil(record, 'handoff-failed', now() + pauseMs, control.pause, now());
    return { done: doneSoFar, stoppedBy: 'handoff-failed' };
  }
}
