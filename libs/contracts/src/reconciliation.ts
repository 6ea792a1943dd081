import { z } from 'zod';
import { Currency, OrderId } from './ids.js';

/**
 * `payments.reconciliation`: a charged payment waiting for the reconciliation job, with
 * the trace context it was charged in (propagation fields such as `traceparent`), so
 * the job run that handles it can link back to that trace.
 */
export const ReconciliationItem = z.strictObject({
  orderId: OrderId,
  amountMinor: z.int().min(0),
  currency: Currency,
  chargedAt: z.iso.datetime(),
  traceContext: z.record(z.string().max(64), z.string().max(512)),
});
/** `payments.reconciliation`. */
export type ReconciliationItem = z.infer<typeof ReconciliationItem>;
