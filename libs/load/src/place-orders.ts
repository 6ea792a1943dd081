import { orderRequest, type OrderKind } from './order-mix.js';

/** One `POST /orders` of a load and how it was answered. */
export interface PlacedOrder {
  readonly kind: OrderKind;
  /** When the request was sent and answered (ms since the epoch). */
  readonly sentAt: number;
  readonly answeredAt: number;
  /** The HTTP status; 0 when no answer came (connection refused, timeout). */
  readonly status: number;
  /** Set on a `202`. */
  readonly orderId?: string;
  readonly traceId?: string;
  /** The answer's body or the network error, when it was not a `202`. */
  readonly error?: string;
}

/** Options of {@link placeOrders}. */
export interface PlaceOrdersOptions {
  /** e.g. `http://127.0.0.1:3000`. */
  readonly orderApiUrl: string;
  /** The kinds to place, in order (see `mixSequence`). */
  readonly kinds: readonly OrderKind[];
  /** Orders per second, kept whatever the answers take (an open loop, as real clients are). */
  readonly ratePerSecond: number;
  /** Most requests waiting for an answer at once; a slower system makes the load fall behind, not pile up. */
  readonly maxInFlight?: number;
  /** Per-request timeout; default 10 s. */
  readonly timeoutMs?: number;
  /** Called after each answer (progress displays). */
  readonly onAnswer?: (order: PlacedOrder) => void;
}

/**
 * Places the orders at a steady rate: the i-th request is due at start + i / rate,
 * whether or not earlier ones were answered (up to `maxInFlight`). Never throws for an
 * order: each result says how it was answered.
 */
export async function placeOrders({ orderApiUrl, kinds, ratePerSecond, maxInFlight = 256, timeoutMs = 10_000, onAnswer }: PlaceOrdersOptions): Promise<PlacedOrder[]> {
  if (!(ratePerSecond > 0)) throw new Error(`the rate must be a positive number of orders per second, not ${ratePerSecond}`);
  const results: PlacedOrder[] = new Array(kinds.length);
  const inFlight = new Set<Promise<void>>();
  const start = Date.now();
  for (const [i, kind] of kinds.entries()) {
    const due = start + (i * 1000) / ratePerSecond;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const request = placeOne(orderApiUrl, kind, timeoutMs).then((placed) => {
      results[i] = placed;
      onAnswer?.(placed);
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }
  await Promise.all(inFlight);
  return results;
}

async function placeOne(orderApiUrl: string, kind: OrderKind, timeoutMs: number): Promise<PlacedOrder> {
  const sentAt = Date.now();
  try {
    const response = await fetch(`${orderApiUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(orderRequest(kind)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answeredAt = Date.now();
    const text = await response.text();
    if (response.status !== 202) return { kind, sentAt, answeredAt, status: response.status, error: text.slice(0, 300) };
    const { orderId, traceId } = JSON.parse(text) as { orderId: string; traceId: string };
    return { kind, sentAt, answeredAt, status: 202, orderId, traceId };
  } catch (error) {
    return { kind, sentAt, answeredAt: Date.now(), status: 0, error: String((error as Error).cause ?? (error as Error).message) };
  }
}
