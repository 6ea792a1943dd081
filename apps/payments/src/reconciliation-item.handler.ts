import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { ReconciliationItem, TOPICS } from '@mqtrace/contracts';
import { decodeConsumed } from '@mqtrace/service-kit';
import { ReconciliationQueue } from './reconciliation-queue.js';

/** Transport id of payments' second consumer, the one that reads the reconciliation queue. */
export const RECONCILIATION_TRANSPORT = Symbol('payments.reconciliation consumer');

/**
 * `payments.reconciliation` → the queue the next reconciliation run takes its items from.
 * The topic is the durable store: this consumer commits a record only once its order is
 * reconciled (the job commits after each run), so an item read before a crash is read
 * again, and reconciled, after it. A record that is not an item is poison: it is marked
 * done here and dead-lettered by the transport.
 */
@Controller()
export class ReconciliationItemHandler {
  constructor(private readonly queue: ReconciliationQueue) {}

  @EventPattern(TOPICS.paymentsReconciliation, RECONCILIATION_TRANSPORT)
  enqueue(@Payload() value: unknown, @Ctx() context: unknown): void {
    const kafka = context as KafkaContext;
    const position = { topic: kafka.getTopic(), partition: kafka.getPartition(), offset: kafka.getMessage().offset };
    let item: ReconciliationItem;
    try {
      item = decodeConsumed(TOPICS.paymentsReconciliation, ReconciliationItem, value);
    } catch (error) {
      this.queue.skip(position);
      throw error;
    }
    this.queue.add(item, position);
  }
}
