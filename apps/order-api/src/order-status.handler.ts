import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { ContractViolation, decodeMessage, OrderStatusEvent, TOPICS } from '@mqtrace/contracts';
import { OrderTimelines } from './order-timelines.js';

/**
 * `orders.status` → the timelines `GET /orders/:id` shows. An event that breaks its
 * contract is logged and skipped rather than dead-lettered: this consumer reads the whole
 * topic again at every start, and a projection has nobody to hand a bad event to.
 */
@Controller()
export class OrderStatusHandler {
  private readonly logger = new Logger(OrderStatusHandler.name);

  constructor(private readonly timelines: OrderTimelines) {}

  @EventPattern<Record<string, unknown>>(TOPICS.ordersStatus)
  project(@Payload() value: unknown, @Ctx() context: unknown): void {
    const kafka = context as KafkaContext;
    const partition = kafka.getPartition();
    const { offset } = kafka.getMessage();
    try {
      this.timelines.record(decodeMessage(TOPICS.ordersStatus, OrderStatusEvent, value), partition, offset);
    } catch (error) {
      if (!(error instanceof ContractViolation)) throw error;
      this.timelines.skipped(partition, offset);
      this.logger.warn({ partition, offset, errors: error.errors }, 'status event skipped: it breaks its contract');
    }
  }
}
