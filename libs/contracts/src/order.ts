import { z } from 'zod';
import { BoundedText, Currency, OrderId } from './ids.js';

/** One line of an order. */
export const OrderItem = z.strictObject({
  sku: BoundedText(64),
  quantity: z.int().min(1).max(100),
});
/** One line of an order. */
export type OrderItem = z.infer<typeof OrderItem>;

/**
 * The body of `POST /orders`. Unknown fields are rejected (`strictObject`), so a typo is
 * an error, not silently dropped data. The payment method is a token (`tok_approved`),
 * never card data.
 */
export const PlaceOrderRequest = z.strictObject({
  customerId: BoundedText(64),
  currency: Currency,
  paymentMethod: BoundedText(64),
  items: z.array(OrderItem).min(1).max(50),
});
/** The body of `POST /orders`. */
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>;

/** `orders.placed`: an order order-api accepted, keyed by its id. */
export const OrderPlaced = PlaceOrderRequest.extend({
  orderId: OrderId,
  placedAt: z.iso.datetime(),
});
/** `orders.placed`. */
export type OrderPlaced = z.infer<typeof OrderPlaced>;
