/** Bounded retries with exponential backoff, before a record is dead-lettered. */
export interface RetryPolicy {
  /** Deliveries in total, the first included; at least 1. */
  readonly maxAttempts: number;
  /** Wait before the second attempt. */
  readonly initialDelayMs: number;
  /** Upper bound of any wait. */
  readonly maxDelayMs: number;
  /** Growth of the wait per attempt. */
  readonly multiplier: number;
}

/** Three attempts, waiting 200 ms then 400 ms. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 5_000, multiplier: 2 };

/** The wait after failed attempt `attempt` (1-based), without jitter: tests can rely on it. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1));
}

/** Throws when a policy could loop forever or not run at all. */
export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number >= 1, got ${policy.maxAttempts}`);
  if (!(policy.initialDelayMs >= 0) || !(policy.maxDelayMs >= 0) || !(policy.multiplier >= 1)) {
    throw new RangeError('delays must be >= 0 and the multiplier >= 1');
  }
  return policy;
}

/**
 * An error that retrying cannot fix (a payload that does not parse, a failed
 * validation): the record is dead-lettered at once instead of after every attempt.
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}
