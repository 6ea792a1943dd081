// Pattern: retries and dead letters, the arithmetic. How many attempts, how long between
// them, and whether a blocking policy fits inside the consumer group's rebalance timeout.

/**
 * Where a failed record waits for its next attempt.
 * - `blocking`: in the consumer, between attempts, heartbeating so the group keeps the
 *   member. Short backoffs only: the partition waits, and a crash or rebalance forgets
 *   the attempt count.
 * - `retry-topic`: the record is re-published to a retry topic with its attempt number
 *   and due time in headers and consumed again when due (Spring Kafka's non-blocking
 *   retryable topics). Long backoffs; the attempt count survives restarts; other records
 *   of the partition go on meanwhile.
 */
export type RetryMode = 'blocking' | 'retry-topic';

/** Bounded retries with exponential backoff and jitter, before a record is dead-lettered. */
export interface RetryPolicy {
  /** Where the record waits between attempts; default `blocking`. */
  readonly mode?: RetryMode;
  /** Deliveries in total, the first included; at least 1. */
  readonly maxAttempts: number;
  /** Wait before the second attempt. */
  readonly initialDelayMs: number;
  /** Upper bound of any wait, jitter included. */
  readonly maxDelayMs: number;
  /** Growth of the wait per attempt. */
  readonly multiplier: number;
  /**
   * Share of each wait drawn at random, 0..1 (default 0.2): the wait is between
   * `(1 - jitter)` and 1 times the exponential delay, so records that failed together
   * do not all come back at the same moment.
   */
  readonly jitter?: number;
}

/** Three attempts, waiting about 200 ms then 400 ms, in the consumer. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { mode: 'blocking', maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 5_000, multiplier: 2, jitter: 0.2 };

/** Default share of a wait drawn at random. */
const DEFAULT_JITTER = 0.2;

/** A retry policy that could loop forever, never run, or outlast the group's patience. */
export class RetryPolicyError extends Error {
  override readonly name = 'RetryPolicyError';
}

/** The wait after failed attempt `attempt` (1-based) without jitter: its upper bound. */
export function maxRetryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1));
}

/** The wait after failed attempt `attempt`, jitter applied with `random` in [0, 1). */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const jitter = policy.jitter ?? DEFAULT_JITTER;
  return Math.round(maxRetryDelayMs(policy, attempt) * (1 - jitter * random()));
}

/** The longest a blocking policy can keep a record in the consumer, handler time aside. */
export function maxBlockingWaitMs(policy: RetryPolicy): number {
  let total = 0;
  for (let attempt = 1; attempt < policy.maxAttempts; attempt++) total += maxRetryDelayMs(policy, attempt);
  return total;
}

/** Throws {@link RetryPolicyError} when a policy could loop forever or not run at all. */
export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RetryPolicyError(`maxAttempts must be a whole number >= 1, got ${policy.maxAttempts}`);
  }
  if (!(policy.initialDelayMs >= 0) || !(policy.maxDelayMs >= 0) || !Number.isFinite(policy.maxDelayMs) || !(policy.multiplier >= 1)) {
    throw new RetryPolicyError('delays must be finite and >= 0, and the multiplier >= 1');
  }
  const jitter = policy.jitter ?? DEFAULT_JITTER;
  if (!(jitter >= 0 && jitter <= 1)) throw new RetryPolicyError(`jitter must be between 0 and 1, got ${jitter}`);
  if (policy.mode !== undefined && policy.mode !== 'blocking' && policy.mode !== 'retry-topic') {
    throw new RetryPolicyError(`mode must be blocking or retry-topic, got ${String(policy.mode)}`);
  }
  return policy;
}

/**
 * Refuses a blocking policy whose waits could outlast the consumer group's rebalance
 * timeout: a rebalance waits that long for the handler to return, then evicts the member
 * and hands its partitions to another, which processes the same record again.
 * Call it where the consumer is built, so a bad policy stops the service at start-up.
 */
export function assertFitsRebalanceTimeout(policy: RetryPolicy, rebalanceTimeoutMs: number): void {
  validateRetryPolicy(policy);
  if ((policy.mode ?? 'blocking') !== 'blocking') return;
  const waits = maxBlockingWaitMs(policy);
  if (waits >= rebalanceTimeoutMs) {
    throw new RetryPolicyError(
      `blocking retries could wait ${waits} ms for one record, not less than the consumer group's rebalance timeout of ${rebalanceTimeoutMs} ms; ` +
        `lower maxAttempts or maxDelayMs, or use mode 'retry-topic' for long backoffs`,
    );
  }
}
