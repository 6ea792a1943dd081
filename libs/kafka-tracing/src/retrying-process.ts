import type { Span } from '@opentelemetry/api';
import { ATTR_DEAD_LETTERED } from './custom-attributes.js';
import { deadLetterMessage, deadLetterTopicOf } from './dead-letter.js';
import type { IncomingRecord, RecordSender } from './record.js';
import { DEFAULT_RETRY_POLICY, PoisonMessageError, retryDelayMs, validateRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { recordSpanError } from './span-helpers.js';
import { processTraced, type ProcessOptions } from './traced-process.js';
import { sendTraced } from './traced-send.js';

/** Where failed records go. */
export interface DeadLetterTarget {
  readonly sender: RecordSender;
  /** Dead-letter topic for a source topic; default `<topic>.dlq`. */
  readonly topicFor?: (topic: string) => string;
}

/** Options of {@link processWithRetries}. */
export interface RetryingProcessOptions extends Omit<ProcessOptions, 'attempt'> {
  readonly deadLetter: DeadLetterTarget;
  readonly retry?: RetryPolicy;
  /** Called before each wait, e.g. kafkajs' `heartbeat`, so a long backoff keeps the group membership. */
  readonly heartbeat?: () => Promise<void>;
  /** Replaceable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What happened to a record. */
export type RecordOutcome =
  | { readonly status: 'processed'; readonly attempts: number }
  | { readonly status: 'dead-lettered'; readonly attempts: number; readonly error: unknown };

/** The dead-letter topic refused the record: the source offset must not be committed. */
export class DeadLetterPublishError extends Error {
  override readonly name = 'DeadLetterPublishError';
  constructor(
    message: string,
    readonly handlerError: unknown,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Processes a record with bounded retries and a dead-letter queue, so a failing record
 * is never redelivered forever (kafkajs' default when a handler throws) and never lost.
 *
 * Each attempt is its own CONSUMER span (attempt number, ERROR on failure). After the
 * last attempt, or at once for a {@link PoisonMessageError}, the record is sent to the
 * dead-letter topic from inside the failed attempt's span, so its PRODUCER span and the
 * dead-letter consumer stay in the failed message's trace. Resolves when the record is
 * processed or dead-lettered (commit its offset then); rejects with
 * {@link DeadLetterPublishError} when dead-lettering failed (do not commit).
 */
export async function processWithRetries(
  record: IncomingRecord,
  handler: (span: Span) => unknown,
  { deadLetter, retry = DEFAULT_RETRY_POLICY, heartbeat, sleep = defaultSleep, ...processOptions }: RetryingProcessOptions,
): Promise<RecordOutcome> {
  const policy = validateRetryPolicy(retry);
  for (let attempt = 1; ; attempt++) {
    let lastAttempt = attempt >= policy.maxAttempts;
    try {
      await processTraced(
        record,
        async (span) => {
          try {
            return await handler(span);
          } catch (error) {
            lastAttempt ||= error instanceof PoisonMessageError;
            if (lastAttempt) await sendToDeadLetter(record, span, error, attempt, deadLetter, processOptions);
            throw error;
          }
        },
        { ...processOptions, attempt },
      );
      return { status: 'processed', attempts: attempt };
    } catch (error) {
      if (error instanceof DeadLetterPublishError) throw error;
      if (lastAttempt) return { status: 'dead-lettered', attempts: attempt, error };
      await heartbeat?.();
      await sleep(retryDelayMs(policy, attempt));
    }
  }
}

async function sendToDeadLetter(
  record: IncomingRecord,
  span: Span,
  error: unknown,
  attempts: number,
  { sender, topicFor = deadLetterTopicOf }: DeadLetterTarget,
  { consumerGroup, tracing, tracer }: Omit<ProcessOptions, 'attempt'>,
): Promise<void> {
  const topic = topicFor(record.topic);
  try {
    await sendTraced(sender, topic, [deadLetterMessage(record, { error, attempts, consumerGroup })], { tracing, tracer });
    span.setAttribute(ATTR_DEAD_LETTERED, true);
  } catch (publishError) {
    // Keep the handler's failure on the span too; the thrown error is the publish one.
    recordSpanError(span, error);
    throw new DeadLetterPublishError(`could not dead-letter ${record.topic}[${record.partition}]@${record.offset} to ${topic}`, error, {
      cause: publishError,
    });
  }
}
