import { z } from 'zod';
import { BASE_SERVICE_ENV, httpPort, loadServiceConfigOrExit } from '@mqtrace/service-kit';

/** The service's name: `service.name` of its spans, its consumer group prefix, its log lines. */
export const SERVICE_NAME = 'order-api';

/** order-api's settings (docs/configuration.md). */
export const OrderApiEnv = BASE_SERVICE_ENV.extend({
  PORT: httpPort(3000),
  /** Longest wait for Kafka to acknowledge an order before answering 503. */
  ORDER_PUBLISH_TIMEOUT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(100).max(60_000).default(5_000),
  /**
   * Read by `@mqtrace/telemetry`: `false` makes each request a new trace linked to the
   * client's `traceparent` instead of continuing it. Validated here so a typo stops the start.
   */
  TRUST_INBOUND_TRACEPARENT: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
});
/** order-api's validated settings. */
export type OrderApiConfig = z.infer<typeof OrderApiEnv>;

/** Reads and validates the settings; a bad one ends the process naming every bad variable. */
export const loadConfig = (): OrderApiConfig => loadServiceConfigOrExit(SERVICE_NAME, OrderApiEnv);
