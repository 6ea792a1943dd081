import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload, type ClientKafka } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { OrderPlaced, TOPICS, type InventoryReserve, type NotificationSend, type PaymentCharge } from '@mqtrace/contracts';
import { decodeConsumed } from '@mqtrace/service-kit';

/** Injection token of the producer whose messages start downstream branches (`TRACE_FANOUT`). */
export const FANOUT_PRODUCER = 'FANOUT_PRODUCER';
/** Injection token of the price of one item. */
export const UNIT_PRICE_MINOR = 'UNIT_PRICE_MINOR';

/**
 * `orders.placed` → one message each to inventory, payments and notification. Runs inside
 * the record's CONSUMER span (the transport opens it); each message sent here starts a
 * branch: by default a new trace linked to that span, with `TRACE_FANOUT=child` a child
 * of it. A record that is not an order is poison (dead-lettered to `orders.placed.dlq`).
 */
@Controller()
export class OrderPlacedHandler {
  private readonly logger = new Logger(OrderPlacedHandler.name);

  constructor(
    @Inject(FANOUT_PRODUCER) private readonly fanout: ClientKafka,
    @Inject(UNIT_PRICE_MINOR) private readonly unitPriceMinor: number,
  ) {}

  @EventPattern<Record<string, unknown>>(TOPICS.ordersPlaced)
  async fulfil(@Payload() value: unknown): Promise<void> {
    const order = decodeConsumed(TOPICS.ordersPlaced, OrderPlaced, value);
    const key = order.orderId;
    const reserve: InventoryReserve = { orderId: key, items: order.items };
    const charge: PaymentCharge = {
      orderId: key,
      amountMinor: order.items.reduce((sum, item) => sum + item.quantity, 0) * this.unitPriceMinor,
      currency: order.currency,
      paymentMethod: order.paymentMethod,
    };
    const notify: NotificationSend = { orderId: key, customerId: order.customerId, template: 'order-received' };
    // Acknowledged before this record is committed: a crash in between redelivers the
    // order and sends again (at-least-once; the consumers' events carry ids).
    await Promise.all([
      lastValueFrom(this.fanout.emit(TOPICS.inventoryReserve, { key, value: reserve })),
      lastValueFrom(this.fanout.emit(TOPICS.paymentsCharge, { key, value: charge })),
      lastValueFrom(this.fanout.emit(TOPICS.notificationsSend, { key, value: notify })),
    ]);
    this.logger.log({ orderId: key, items: order.items.length, amountMinor: charge.amountMinor }, 'order fanned out');
  }
}
