import { z } from 'zod';
import { OrderId, TraceId } from './ids.js';

/** Every step an order's timeline can show, in the order they usually happen. */
export const ORDER_STATUSES = [
  'placed',
  'inventory-reserved',
  'out-of-stock',
  'payment-charged',
  'payment-declined',
  'payment-dead-lettered',
  'notification-sent',
  'reconciled',
] as const;

/** A step of an order's timeline. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses after which the payment has its final outcome; an order has at most one. */
export const FINAL_PAYMENT_STATUSES: readonly OrderStatus[] = ['payment-charged', 'payment-declined', 'payment-dead-lettered'];

/**
 * `orders.status`: one step of an order's journey, published by the service that took it.
 * `eventId` makes a redelivered event recognisable, so the timeline ignores duplicates.
 */
export const OrderStatusEvent = z.strictObject({
  eventId: z.uuid(),
  orderId: OrderId,
  status: z.enum(ORDER_STATUSES),
  service: z.string().min(1).max(64),
  at: z.iso.datetime(),
  /** The trace the step happened in, so the timeline leads to it. */
  traceId: TraceId.optional(),
  /** A short, non-personal explanation (e.g. the decline reason). */
  detail: z.string().max(256).optional(),
});
/** `orders.status`. */
export type OrderStatusEvent = z.infer<typeof OrderStatusEvent>;
