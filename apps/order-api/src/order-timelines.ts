import { Injectable } from '@nestjs/common';
import type { OrderStatusEvent } from '@mqtrace/contracts';

/**
 * The order timelines: a projection of `orders.status`, rebuilt from the start of the
 * topic by every order-api process (so a restart loses no order). An event delivered
 * twice (at-least-once) is recognised by its id and ignored.
 */
@Injectable()
export class OrderTimelines {
  private readonly timelines = new Map<string, OrderStatusEvent[]>();
  private readonly seen = new Set<string>();
  /** Per partition, the next offset this projection has not read yet. */
  private readonly nextOffsets = new Map<number, bigint>();

  /** Adds an event read at `partition`/`offset`; false for a duplicate. */
  record(event: OrderStatusEvent, partition: number, offset: string): boolean {
    const next = BigInt(offset) + 1n;
    if ((this.nextOffsets.get(partition) ?? 0n) < next) this.nextOffsets.set(partition, next);
    if (this.seen.has(event.eventId)) return false;
    this.seen.add(event.eventId);
    const timeline = this.timelines.get(event.orderId) ?? [];
    timeline.push(event);
    timeline.sort((a, b) => a.at.localeCompare(b.at));
    this.timelines.set(event.orderId, timeline);
    return true;
  }

  /** Marks an offset read that held no usable event (a poison record), for {@link hasRead}. */
  skipped(partition: number, offset: string): void {
    const next = BigInt(offset) + 1n;
    if ((this.nextOffsets.get(partition) ?? 0n) < next) this.nextOffsets.set(partition, next);
  }

  /** An order's events in time order, or undefined for an order never seen. */
  timeline(orderId: string): readonly OrderStatusEvent[] | undefined {
    return this.timelines.get(orderId);
  }

  /** Whether every partition has been read up to the given end offsets. */
  hasRead(endOffsets: ReadonlyMap<number, bigint>): boolean {
    return [...endOffsets].every(([partition, end]) => (this.nextOffsets.get(partition) ?? 0n) >= end);
  }
}
