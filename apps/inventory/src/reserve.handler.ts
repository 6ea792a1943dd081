import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InventoryReserve, TOPICS } from '@mqtrace/contracts';
import { decodeConsumed, StatusPublisher } from '@mqtrace/service-kit';
import { StockTable } from './stock.js';

/**
 * `inventory.reserve` → `inventory-reserved` or `out-of-stock` on the order's timeline.
 * Out of stock is a business outcome, not an error: the span stays OK and nothing is
 * retried. A record that is not a reservation is poison.
 */
@Controller()
export class ReserveHandler {
  private readonly logger = new Logger(ReserveHandler.name);

  constructor(
    private readonly stock: StockTable,
    private readonly status: StatusPublisher,
  ) {}

  @EventPattern<Record<string, unknown>>(TOPICS.inventoryReserve)
  async reserve(@Payload() value: unknown): Promise<void> {
    const { orderId, items } = decodeConsumed(TOPICS.inventoryReserve, InventoryReserve, value);
    const outcome = this.stock.reserve(orderId, items);
    if (outcome.reserved) {
      await this.status.publish(orderId, 'inventory-reserved');
    } else {
      await this.status.publish(orderId, 'out-of-stock', `not enough of ${outcome.missing.join(', ')}`.slice(0, 256));
    }
    this.logger.log({ orderId, reserved: outcome.reserved }, 'reservation');
  }
}
