import { FINAL_PAYMENT_STATUSES } from '@mqtrace/contracts';
import { FINAL_STEPS, isCharged, type OrderKind } from './order-mix.js';
import type { PlacedOrder } from './place-orders.js';
import type { TimelineStep } from './timelines.js';

/** Whether an order reached every step its kind ends with (and `reconciled`, when asked and charged). */
export function isComplete(kind: OrderKind, timeline: readonly TimelineStep[], { reconciled = false } = {}): boolean {
  const steps = new Set(timeline.map((step) => step.status));
  return FINAL_STEPS[kind].every((status) => steps.has(status)) && (!reconciled || !isCharged(kind) || steps.has('reconciled'));
}

/** The value below which `share` (0-1) of the values fall (nearest rank); undefined for none. */
export function percentile(values: readonly number[], share: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
}

/** The figures of one load. */
export interface LoadReport {
  /** Requests sent. */
  readonly sent: number;
  /** Answered `202`. */
  readonly accepted: number;
  /** Answered otherwise (by status; `0` for no answer). */
  readonly rejected: Readonly<Record<string, number>>;
  /** Accepted orders that reached their final state. */
  readonly completed: number;
  /** Accepted orders order-api never showed a step of. */
  readonly lost: number;
  /** Accepted orders with some steps but not all (still in flight when the wait ended). */
  readonly incomplete: number;
  /** Orders with more than one final payment outcome. */
  readonly conflicting: number;
  /** Orders whose payment ended in the dead-letter topic. */
  readonly deadLettered: number;
  /** Charged orders with a `reconciled` step, of those charged. */
  readonly reconciled: number;
  readonly charged: number;
  /** `202` answer times, ms. */
  readonly acceptMs: Percentiles;
  /** From the `202` to `notification-sent` on the timeline, ms. */
  readonly notifiedMs: Percentiles;
}

/** p50 / p99 / max of a set of durations, ms (undefined when empty). */
export interface Percentiles {
  readonly p50?: number;
  readonly p99?: number;
  readonly max?: number;
}

const percentiles = (values: readonly number[]): Percentiles => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99), max: percentile(values, 1) });

/** Counts and latencies of a load from what was placed and the timelines read afterwards. */
export function loadReport(orders: readonly PlacedOrder[], timelines: ReadonlyMap<string, readonly TimelineStep[]>, { reconciled = false } = {}): LoadReport {
  const accepted = orders.filter((order) => order.orderId !== undefined);
  const rejected: Record<string, number> = {};
  for (const order of orders) if (order.status !== 202) rejected[order.status] = (rejected[order.status] ?? 0) + 1;
  const timelineOf = (order: PlacedOrder) => timelines.get(order.orderId ?? '') ?? [];
  const notified = accepted.flatMap((order) => {
    const step = timelineOf(order).find((one) => one.status === 'notification-sent');
    return step ? [Date.parse(step.at) - order.answeredAt] : [];
  });
  const charged = accepted.filter((order) => timelineOf(order).some((step) => step.status === 'payment-charged'));
  return {
    sent: orders.length,
    accepted: accepted.length,
    rejected,
    completed: accepted.filter((order) => isComplete(order.kind, timelineOf(order), { reconciled })).length,
    lost: accepted.filter((order) => timelineOf(order).length === 0).length,
    incomplete: accepted.filter((order) => timelineOf(order).length > 0 && !isComplete(order.kind, timelineOf(order), { reconciled })).length,
    conflicting: accepted.filter((order) => new Set(timelineOf(order).filter((step) => FINAL_PAYMENT_STATUSES.includes(step.status)).map((step) => step.status)).size > 1).length,
    deadLettered: accepted.filter((order) => timelineOf(order).some((step) => step.status === 'payment-dead-lettered')).length,
    reconciled: charged.filter((order) => timelineOf(order).some((step) => step.status === 'reconciled')).length,
    charged: charged.length,
    acceptMs: percentiles(orders.filter((order) => order.status === 202).map((order) => order.answeredAt - order.sentAt)),
    notifiedMs: percentiles(notified),
  };
}
