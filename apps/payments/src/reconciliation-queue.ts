import { Injectable } from '@nestjs/common';
import type { ReconciliationItem } from '@mqtrace/contracts';

/** Where an item was read: its record on `payments.reconciliation`. */
export interface QueuePosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Charged payments read from `payments.reconciliation` and not yet reconciled, one per
 * order (a charge delivered twice is queued once), and which records are done: a record
 * is done once its order is reconciled (or it held nothing to reconcile). The job commits
 * `committable()` after each run, so what is not done is read again after a restart.
 */
@Injectable()
export class ReconciliationQueue {
  private readonly pending = new Map<string, ReconciliationItem>();
  private readonly reconciledOrders = new Set<string>();
  /** Records not done yet, by order. */
  private readonly outstanding = new Map<string, QueuePosition[]>();
  /** Per topic/partition: offsets read and not done, and the highest offset read. */
  private readonly partitions = new Map<string, { readonly position: Omit<QueuePosition, 'offset'>; readonly open: Set<bigint>; highest: bigint }>();

  /** Queues an item read at `position`, unless its order is reconciled already. */
  add(item: ReconciliationItem, position: QueuePosition): void {
    this.read(position);
    if (this.reconciledOrders.has(item.orderId)) return this.done(position);
    this.pending.set(item.orderId, item);
    this.outstanding.set(item.orderId, [...(this.outstanding.get(item.orderId) ?? []), position]);
  }

  /** Marks a record done that held nothing to reconcile (it was dead-lettered). */
  skip(position: QueuePosition): void {
    this.read(position);
    this.done(position);
  }

  /** Takes every pending item out of the queue for a run. */
  take(): ReconciliationItem[] {
    const items = [...this.pending.values()];
    this.pending.clear();
    return items;
  }

  /** Marks an order reconciled: every record that queued it is done. */
  reconciled(orderId: string): void {
    this.reconciledOrders.add(orderId);
    for (const position of this.outstanding.get(orderId) ?? []) this.done(position);
    this.outstanding.delete(orderId);
  }

  /** Puts back an item whose reconciliation failed, for the next run. */
  retryLater(item: ReconciliationItem): void {
    if (!this.reconciledOrders.has(item.orderId)) this.pending.set(item.orderId, item);
  }

  /** Per partition, the offset to commit: the first record not done, or the one after the last read. */
  committable(): QueuePosition[] {
    return [...this.partitions.values()].map(({ position, open, highest }) => {
      const firstOpen = [...open].reduce<bigint | undefined>((lowest, offset) => (lowest === undefined || offset < lowest ? offset : lowest), undefined);
      return { ...position, offset: String(firstOpen ?? highest + 1n) };
    });
  }

  private read({ topic, partition, offset }: QueuePosition): void {
    const key = `${topic}\u0000${partition}`;
    const state = this.partitions.get(key) ?? { position: { topic, partition }, open: new Set<bigint>(), highest: -1n };
    state.open.add(BigInt(offset));
    if (BigInt(offset) > state.highest) state.highest = BigInt(offset);
    this.partitions.set(key, state);
  }

  private done({ topic, partition, offset }: QueuePosition): void {
    this.partitions.get(`${topic}\u0000${partition}`)?.open.delete(BigInt(offset));
  }
}
