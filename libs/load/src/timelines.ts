import type { OrderStatus } from '@mqtrace/contracts';
import type { PlacedOrder } from './place-orders.js';

/** One step of an order's timeline as `GET /orders/:id` shows it. */
export interface TimelineStep {
  readonly status: OrderStatus;
  readonly service: string;
  /** ISO 8601, set by the service that took the step. */
  readonly at: string;
  readonly traceId?: string;
  readonly detail?: string;
}

/** Options of {@link followTimelines}. */
export interface FollowTimelinesOptions {
  readonly orderApiUrl: string;
  /** Whether an order has all it should have; it is not asked for again once true. */
  readonly done: (order: PlacedOrder, timeline: readonly TimelineStep[]) => boolean;
  /** Give up on the rest after this long. */
  readonly timeoutMs: number;
  /** Requests at once; default 16. */
  readonly concurrency?: number;
  /** Pause between two sweeps over the orders not done; default 250 ms. */
  readonly intervalMs?: number;
}

/**
 * Reads the timelines of the accepted orders until each is `done` or the timeout
 * passes. Returns the last timeline read per order id (empty when order-api never knew
 * it: a lost order). A failed request counts as "not done yet".
 */
export async function followTimelines(orders: readonly PlacedOrder[], { orderApiUrl, done, timeoutMs, concurrency = 16, intervalMs = 250 }: FollowTimelinesOptions): Promise<Map<string, readonly TimelineStep[]>> {
  const accepted = orders.filter((order): order is PlacedOrder & { orderId: string } => order.orderId !== undefined);
  const timelines = new Map<string, readonly TimelineStep[]>(accepted.map((order) => [order.orderId, []]));
  let waiting = accepted;
  const deadline = Date.now() + timeoutMs;
  while (waiting.length > 0) {
    const queue = [...waiting];
    const stillWaiting: typeof waiting = [];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let order = queue.shift(); order; order = queue.shift()) {
          const timeline = await readTimeline(orderApiUrl, order.orderId);
          if (timeline) timelines.set(order.orderId, timeline);
          if (!timeline || !done(order, timeline)) stillWaiting.push(order);
        }
      }),
    );
    waiting = stillWaiting;
    if (waiting.length === 0 || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return timelines;
}

async function readTimeline(orderApiUrl: string, orderId: string): Promise<readonly TimelineStep[] | undefined> {
  try {
    const response = await fetch(`${orderApiUrl}/orders/${orderId}`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return undefined;
    return ((await response.json()) as { timeline: TimelineStep[] }).timeline;
  } catch {
    return undefined;
  }
}
