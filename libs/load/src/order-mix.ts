import type { OrderStatus, PlaceOrderRequest } from '@mqtrace/contracts';

/** The paths an order can take, each chosen by what the order carries. */
export const ORDER_KINDS = ['approved', 'declined', 'transient', 'poison', 'out-of-stock'] as const;
/** One path through the system. */
export type OrderKind = (typeof ORDER_KINDS)[number];

/** Relative weights of the kinds in a load; any non-negative numbers. */
export type OrderMix = Readonly<Record<OrderKind, number>>;

/** The realistic mix: mostly approved, a tenth each declined, transient, poison, a few out of stock. */
export const DEFAULT_MIX: OrderMix = { approved: 65, declined: 10, transient: 10, poison: 10, 'out-of-stock': 5 };

/** What makes an order take its path: the payment token, and a SKU with no stock. */
const PATHS: Readonly<Record<OrderKind, { paymentMethod: string; sku: string }>> = {
  approved: { paymentMethod: 'tok_approved', sku: 'sku-1' },
  declined: { paymentMethod: 'tok_declined', sku: 'sku-1' },
  transient: { paymentMethod: 'tok_transient', sku: 'sku-1' },
  poison: { paymentMethod: 'tok_poison', sku: 'sku-1' },
  'out-of-stock': { paymentMethod: 'tok_approved', sku: 'sold-out' },
};

/**
 * The steps an order of this kind reaches on its timeline before any reconciliation run
 * (its final state); a charged payment is later also `reconciled`.
 */
export const FINAL_STEPS: Readonly<Record<OrderKind, readonly OrderStatus[]>> = {
  approved: ['placed', 'notification-sent', 'inventory-reserved', 'payment-charged'],
  declined: ['placed', 'notification-sent', 'inventory-reserved', 'payment-declined'],
  transient: ['placed', 'notification-sent', 'inventory-reserved', 'payment-charged'],
  poison: ['placed', 'notification-sent', 'inventory-reserved', 'payment-dead-lettered'],
  'out-of-stock': ['placed', 'notification-sent', 'out-of-stock', 'payment-charged'],
};

/** Whether a reconciliation run must reconcile an order of this kind (its payment was charged). */
export const isCharged = (kind: OrderKind): boolean => FINAL_STEPS[kind].includes('payment-charged');

/** The `POST /orders` body of an order of this kind. */
export function orderRequest(kind: OrderKind, customerId = 'load-customer'): PlaceOrderRequest {
  const { paymentMethod, sku } = PATHS[kind];
  return { customerId, currency: 'EUR', paymentMethod, items: [{ sku, quantity: 1 }] };
}

/** Which kind an order is, from what it carries (as `orderRequest` builds it); undefined for an order of no kind. */
export function orderKindOf(order: Pick<PlaceOrderRequest, 'paymentMethod' | 'items'>): OrderKind | undefined {
  return ORDER_KINDS.find((kind) => PATHS[kind].paymentMethod === order.paymentMethod && order.items.length === 1 && order.items[0]?.sku === PATHS[kind].sku);
}

/**
 * `count` kinds in the proportions of `mix`, interleaved (the kind furthest behind its
 * share comes next), so any prefix of a load has the mix too and a run is repeatable.
 */
export function mixSequence(count: number, mix: OrderMix = DEFAULT_MIX): OrderKind[] {
  const total = ORDER_KINDS.reduce((sum, kind) => sum + Math.max(0, mix[kind]), 0);
  if (!(total > 0)) throw new Error('an order mix needs at least one kind with a positive weight');
  const placed = new Map<OrderKind, number>(ORDER_KINDS.map((kind) => [kind, 0]));
  const sequence: OrderKind[] = [];
  for (let i = 1; i <= count; i++) {
    let next: OrderKind = ORDER_KINDS[0];
    let behind = -Infinity;
    for (const kind of ORDER_KINDS) {
      const deficit = (i * Math.max(0, mix[kind])) / total - (placed.get(kind) ?? 0);
      if (deficit > behind) [next, behind] = [kind, deficit];
    }
    placed.set(next, (placed.get(next) ?? 0) + 1);
    sequence.push(next);
  }
  return sequence;
}

/** Parses `approved=70,declined=10,...` (kinds left out weigh 0). */
export function parseMix(text: string): OrderMix {
  const mix: Record<OrderKind, number> = { approved: 0, declined: 0, transient: 0, poison: 0, 'out-of-stock': 0 };
  for (const part of text.split(',').map((one) => one.trim()).filter(Boolean)) {
    const [kind, weight] = part.split('=').map((one) => one.trim());
    if (!ORDER_KINDS.includes(kind as OrderKind)) throw new Error(`unknown order kind "${kind}" (known: ${ORDER_KINDS.join(', ')})`);
    const value = Number(weight);
    if (!Number.isFinite(value) || value < 0) throw new Error(`weight of ${kind} must be a number ≥ 0, not "${weight}"`);
    mix[kind as OrderKind] = value;
  }
  mixSequence(1, mix);
  return mix;
}
