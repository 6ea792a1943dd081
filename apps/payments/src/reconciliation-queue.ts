import { Injectable } from '@nestjs/common';
import type { ReconciliationItem } from '@mqtrace/contracts';

/**
 * Charged payments consumed from `payments.reconciliation` and not yet reconciled, one
 * per order (a charge delivered twice is queued once), and the orders already reconciled
 * by this process (so a redelivered item is not reconciled twice).
 */
@Injectable()
export class ReconciliationQueue {
  private readonly pending = new Map<string, ReconciliationItem>();
  private readonly done = new Set<string>();

  /** Queues an item unless its order is queued or reconciled already. */
  add(item: ReconciliationItem): void {
    if (!this.done.has(item.orderId)) this.pending.set(item.orderId, item);
  }

  /** Takes every pending item out of the queue. */
  take(): ReconciliationItem[] {
    const items = [...this.pending.values()];
    this.pending.clear();
    return items;
  }

  /** Marks an order reconciled. */
  reconciled(orderId: string): void {
    this.done.add(orderId);
  }

  /** Puts back an item whose reconciliation failed, for the next run. */
  retryLater(item: ReconciliationItem): void {
    this.add(item);
  }
}
