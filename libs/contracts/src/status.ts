import { createHash } from 'node:crypto';
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

/** Namespace of {@link statusEventId} (a fixed, random UUID). */
const STATUS_EVENT_NAMESPACE = Buffer.from('6f1d3a52c0b84e0f9a57d2c3b1e4f809', 'hex');

/**
 * The id of an order's step: the same for the same order and status, wherever and
 * however often it is published (a name-based UUID, version 5). A step published again
 * after a redelivery is the same event, so the timeline shows it once, and an order
 * cannot show two different ids for one payment outcome.
 */
export function statusEventId(orderId: string, status: OrderStatus): string {
  const hash = createHash('sha1').update(STATUS_EVENT_NAMESPACE).update(`${orderId.toLowerCase()}/${status}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
