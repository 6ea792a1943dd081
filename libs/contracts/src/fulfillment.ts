import { z } from 'zod';
import { BoundedText, Currency, OrderId } from './ids.js';
import { OrderItem } from './order.js';

/** `inventory.reserve`: reserve every item of an order. */
export const InventoryReserve = z.strictObject({
  orderId: OrderId,
  items: z.array(OrderItem).min(1).max(50),
});
/** `inventory.reserve`. */
export type InventoryReserve = z.infer<typeof InventoryReserve>;

/** `payments.charge`: charge an order; the amount is in minor units (cents). */
export const PaymentCharge = z.strictObject({
  orderId: OrderId,
  amountMinor: z.int().min(0),
  currency: Currency,
  paymentMethod: BoundedText(64),
});
/** `payments.charge`. */
export type PaymentCharge = z.infer<typeof PaymentCharge>;

/** `notifications.send`: tell a customer, by id only (no names or addresses travel). */
export const NotificationSend = z.strictObject({
  orderId: OrderId,
  customerId: BoundedText(64),
  template: z.enum(['order-received']),
});
/** `notifications.send`. */
export type NotificationSend = z.infer<typeof NotificationSend>;
