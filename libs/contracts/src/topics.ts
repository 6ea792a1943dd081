// The one list of topics the services use. Retry and dead-letter topics are named here
// too, so a service, a test and the verify tool never spell a topic twice.

/** Every topic of the system, by role. */
export const TOPICS = {
  /** order-api → fulfillment-worker: an accepted order. */
  ordersPlaced: 'orders.placed',
  /** fulfillment-worker → inventory: reserve the items of an order. */
  inventoryReserve: 'inventory.reserve',
  /** fulfillment-worker → payments: charge an order. */
  paymentsCharge: 'payments.charge',
  /** payments → payments: a charge waiting for its next attempt (retry-topic mode). */
  paymentsChargeRetry: 'payments.charge.retry',
  /** payments → notification: a charge that failed every attempt, or was poison. */
  paymentsChargeDlq: 'payments.charge.dlq',
  /** fulfillment-worker → notification: tell the customer. */
  notificationsSend: 'notifications.send',
  /** every service → order-api: what happened to an order (the timeline). */
  ordersStatus: 'orders.status',
  /** payments → payments: charged payments waiting for the reconciliation job (a durable queue). */
  paymentsReconciliation: 'payments.reconciliation',
  /** payments → payments: a reconciliation item waiting for its next attempt (retry-topic mode). */
  paymentsReconciliationRetry: 'payments.reconciliation.retry',
  // Dead letters of the other consumed topics (`<topic>.dlq`, the tracing library's
  // default); notification raises an ops alert for each. orders.status has none: its
  // only consumer, the timeline projection, skips a bad event.
  /** fulfillment-worker → notification: an `orders.placed` record that could not be fulfilled. */
  ordersPlacedDlq: 'orders.placed.dlq',
  /** inventory → notification: an `inventory.reserve` record that could not be handled. */
  inventoryReserveDlq: 'inventory.reserve.dlq',
  /** notification → notification: a `notifications.send` record that could not be sent. */
  notificationsSendDlq: 'notifications.send.dlq',
  /** payments → notification: a reconciliation item that could not be queued. */
  paymentsReconciliationDlq: 'payments.reconciliation.dlq',
} as const;

/** A topic name of the system. */
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Every topic: what each service creates at start where missing (a broker may not create topics on first use). */
export const ALL_TOPICS: readonly Topic[] = Object.values(TOPICS);
