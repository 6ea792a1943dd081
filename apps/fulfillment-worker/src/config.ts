import { z } from 'zod';
import { BASE_SERVICE_ENV, httpPort, loadServiceConfigOrExit } from '@mqtrace/service-kit';

/** The service's name: `service.name` of its spans, its consumer group, its log lines. */
export const SERVICE_NAME = 'fulfillment-worker';

/** fulfillment-worker's settings (docs/configuration.md). */
export const FulfillmentEnv = BASE_SERVICE_ENV.extend({
  PORT: httpPort(3001),
  /** Price of one item in minor units, until the system has a catalogue. */
  UNIT_PRICE_MINOR: z.coerce.number({ error: 'must be a whole number of minor units' }).int().min(0).max(1_000_000).default(1999),
});
/** fulfillment-worker's validated settings. */
export type FulfillmentConfig = z.infer<typeof FulfillmentEnv>;

/** Reads and validates the settings; a bad one ends the process naming every bad variable. */
export const loadConfig = (): FulfillmentConfig => loadServiceConfigOrExit(SERVICE_NAME, FulfillmentEnv);
