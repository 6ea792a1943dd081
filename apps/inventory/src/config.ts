import { z } from 'zod';
import { BASE_SERVICE_ENV, httpPort, loadServiceConfigOrExit } from '@mqtrace/service-kit';

/** The service's name: `service.name` of its spans, its consumer group, its log lines. */
export const SERVICE_NAME = 'inventory';

const units = z.int().min(0).max(1_000_000_000);

/** inventory's settings (docs/configuration.md). */
export const InventoryEnv = BASE_SERVICE_ENV.extend({
  PORT: httpPort(3002),
  /** Starting stock of named SKUs, as JSON (`{"sku-1": 5}`); the demo's `sold-out` has none. */
  INVENTORY_STOCK: z
    .string()
    .default('{"sold-out":0}')
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be a JSON object of SKU to units, e.g. {"sku-1":5}' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().min(1).max(64), units, { error: 'must map each SKU to a whole number of units' })),
  /** Starting stock of any SKU not named in INVENTORY_STOCK. */
  INVENTORY_DEFAULT_STOCK: z.coerce.number({ error: 'must be a whole number of units' }).pipe(units).default(1_000_000),
});
/** inventory's validated settings. */
export type InventoryConfig = z.infer<typeof InventoryEnv>;

/** Reads and validates the settings; a bad one ends the process naming every bad variable. */
export const loadConfig = (): InventoryConfig => loadServiceConfigOrExit(SERVICE_NAME, InventoryEnv);
