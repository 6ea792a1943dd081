import { z } from 'zod';
import { BASE_SERVICE_ENV, httpPort, loadServiceConfigOrExit } from '@mqtrace/service-kit';

/** The service's name: `service.name` of its spans, its consumer group, its log lines. */
export const SERVICE_NAME = 'payments';

const milliseconds = (fallback: number) => z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(1).max(3_600_000).default(fallback);

/** payments' settings (docs/configuration.md). */
export const PaymentsEnv = BASE_SERVICE_ENV.extend({
  PORT: httpPort(3003),
  /** `retry-topic`: a failed charge waits on `payments.charge.retry` (backoff visible as a queue gap); `blocking`: in place. */
  PAYMENTS_RETRY_MODE: z.enum(['retry-topic', 'blocking']).default('retry-topic'),
  /** Attempts of a failing charge before it is dead-lettered (1 = no retry). */
  PAYMENTS_MAX_ATTEMPTS: z.coerce.number({ error: 'must be a whole number' }).int().min(1).max(10).default(3),
  /** Wait before the second attempt; doubles each attempt up to PAYMENTS_RETRY_MAX_DELAY_MS. */
  PAYMENTS_RETRY_INITIAL_DELAY_MS: milliseconds(500),
  PAYMENTS_RETRY_MAX_DELAY_MS: milliseconds(4_000),
  /** How often the reconciliation job runs. */
  RECONCILIATION_INTERVAL_MS: milliseconds(10_000),
});
/** payments' validated settings. */
export type PaymentsConfig = z.infer<typeof PaymentsEnv>;

/** Reads and validates the settings; a bad one ends the process naming every bad variable. */
export const loadConfig = (): PaymentsConfig => loadServiceConfigOrExit(SERVICE_NAME, PaymentsEnv);
