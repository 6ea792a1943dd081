import type { OrderStatus } from '@mqtrace/contracts';

/** One order of the demo round and what its journey must reach. */
export interface SampleOrder {
  readonly path: string;
  readonly paymentMethod: string;
  readonly sku: string;
  /** The steps that make its journey complete (before any reconciliation run). */
  readonly completeAt: readonly OrderStatus[];
  /** Whether a reconciliation run must reconcile it. */
  readonly reconciled: boolean;
  /** Whether its path waits for retries by design (back-off delays), so its time is not a normal order's. */
  readonly retries: boolean;
}

const fannedOut: OrderStatus[] = ['placed', 'notification-sent'];

/** A round covering every path of the system. */
export const SAMPLE_ORDERS: readonly SampleOrder[] = [
  { path: 'approved', paymentMethod: 'tok_approved', sku: 'sku-1', completeAt: [...fannedOut, 'inventory-reserved', 'payment-charged'], reconciled: true, retries: false },
  { path: 'declined', paymentMethod: 'tok_declined', sku: 'sku-1', completeAt: [...fannedOut, 'inventory-reserved', 'payment-declined'], reconciled: false, retries: false },
  { path: 'transient failure, charged on a retry', paymentMethod: 'tok_transient', sku: 'sku-1', completeAt: [...fannedOut, 'inventory-reserved', 'payment-charged'], reconciled: true, retries: true },
  { path: 'poison payment, dead-lettered, ops alert', paymentMethod: 'tok_poison', sku: 'sku-1', completeAt: [...fannedOut, 'inventory-reserved', 'payment-dead-lettered'], reconciled: false, retries: true },
  { path: 'out of stock', paymentMethod: 'tok_approved', sku: 'sold-out', completeAt: [...fannedOut, 'out-of-stock', 'payment-charged'], reconciled: true, retries: false },
];
