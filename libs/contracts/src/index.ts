// @mqtrace/contracts: what the five services agree on. Topic names, the message and
// request contracts with their runtime validation, and the order status events. Nothing
// here traces, logs or talks to Kafka.

// Topics.
export { ALL_TOPICS, TOPICS, type Topic } from './topics.js';

// Ids and shared value types.
export { BoundedText, CURRENCY_CODES, Currency, OrderId, TraceId } from './ids.js';

// Orders: the HTTP request and the accepted order.
export { OrderItem, OrderPlaced, PlaceOrderRequest } from './order.js';

// Fulfillment: what the fulfillment worker fans out.
export { InventoryReserve, NotificationSend, PaymentCharge } from './fulfillment.js';

// Payments waiting for the reconciliation job.
export { ReconciliationItem } from './reconciliation.js';

// The order timeline.
export { FINAL_PAYMENT_STATUSES, ORDER_STATUSES, OrderStatusEvent, statusEventId, type OrderStatus } from './status.js';

// Decoding and validation.
export { ContractViolation, decodeMessage, fieldErrors, MAX_MESSAGE_BYTES, validate, type FieldError } from './decode.js';
