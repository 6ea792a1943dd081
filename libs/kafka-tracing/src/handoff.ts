// Pattern: retries and dead letters, the hand-off. A failed record leaves its partition
// only once its next stop (the retry or the dead-letter topic) has acknowledged it.
import { context, type Attributes, type Context, type Tracer } from '@opentelemetry/api';
import type { OutgoingMessage, RecordSender } from './record.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';
import { sendTraced } from './traced-send.js';
import type { KafkaTracingOptions } from './tracing-options.js';

/** A retry or dead-letter record waiting to be produced, with the trace it belongs to. */
export interface Handoff {
  readonly kind: 'retry' | 'dead-letter';
  readonly topic: string;
  readonly message: OutgoingMessage;
  /** The failed attempt's context: every send of this record is a child of that span. */
  readonly parent: Context;
  /** The caller's business attributes (e.g. `order.id`), for the PRODUCER span. */
  readonly attributes?: Attributes;
}

/** Tries per hand-off before the record is held: short, the consumer waits meanwhile. */
export const HANDOFF_SEND_POLICY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0.2 };

/** What sending a hand-off needs. */
export interface HandoffSendOptions {
  readonly sender: RecordSender;
  readonly tracing?: KafkaTracingOptions;
  readonly tracer?: Tracer;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/**
 * Produces a hand-off record, retrying the SEND (never the handler) a few times with
 * backoff. Each try is its own PRODUCER span under the failed attempt. Resolves `true`
 * when the broker acknowledged it, `false` when every try failed; never rejects.
 */
export async function sendHandoff(handoff: Handoff, { sender, tracing, tracer, sleep, random }: HandoffSendOptions): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await context.with(handoff.parent, () =>
        sendTraced(sender, handoff.topic, [handoff.message], { attributes: handoff.attributes, ...(tracing ? { tracing } : {}), ...(tracer ? { tracer } : {}) }),
      );
      return true;
    } catch {
      // The failed send is recorded on its PRODUCER span; the caller reports the outcome.
      if (attempt >= HANDOFF_SEND_POLICY.maxAttempts) return false;
      await sleep(retryDelayMs(HANDOFF_SEND_POLICY, attempt, random));
    }
  }
}
