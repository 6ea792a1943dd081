import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ReconciliationItem, TOPICS } from '@mqtrace/contracts';
import { decodeConsumed } from '@mqtrace/service-kit';
import { ReconciliationQueue } from './reconciliation-queue.js';

/**
 * `payments.reconciliation` → the queue the next reconciliation run takes its items from.
 * The topic is the durable store: an item not consumed before a restart is consumed after it.
 */
@Controller()
export class ReconciliationItemHandler {
  constructor(private readonly queue: ReconciliationQueue) {}

  @EventPattern<Record<string, unknown>>(TOPICS.paymentsReconciliation)
  enqueue(@Payload() value: unknown): void {
    this.queue.add(decodeConsumed(TOPICS.paymentsReconciliation, ReconciliationItem, value));
  }
}
