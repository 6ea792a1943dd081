import { TOPICS } from '@mqtrace/contracts';
import { findJourney, traceModelChecks } from '@mqtrace/journey';
import type { TempoClient } from '@mqtrace/trace-query';
import type { SampleOrder } from './sample-orders.js';

/** One placed order of the round, and when its journey was seen complete in Tempo. */
export interface PlacedOrder {
  readonly sample: SampleOrder;
  readonly orderId: string;
  readonly traceId: string;
  /** When the 202 arrived (ms since the epoch). */
  readonly acceptedAt: number;
  /** Milliseconds from the 202 to the journey complete in Tempo; undefined while not. */
  completeAfterMs?: number;
  reconciled?: boolean;
}

/** Places an order with `POST /orders`; throws with the answer when it is not a 202. */
export async function placeOrder(orderApiUrl: string, sample: SampleOrder): Promise<PlacedOrder> {
  const response = await fetch(`${orderApiUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerId: 'demo-customer', currency: 'EUR', paymentMethod: sample.paymentMethod, items: [{ sku: sample.sku, quantity: 1 }] }),
  });
  const acceptedAt = Date.now();
  if (response.status !== 202) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
  const { orderId, traceId } = (await response.json()) as { orderId: string; traceId: string };
  return { sample, orderId, traceId, acceptedAt };
}

/**
 * Looks once at an order's journey in Tempo: complete when every check of the trace
 * model holds and as many steps reached the timeline (`process orders.status` spans) as
 * its path makes before reconciliation; reconciled once a run's `reconcile payment` span
 * for it is there.
 */
export async function observe(tempo: TempoClient, order: PlacedOrder): Promise<void> {
  // From the trace id: Tempo answers trace-by-id as soon as the spans arrive, while its
  // TraceQL search (which finds the branch traces) lags by the idle period.
  const journey = await findJourney({ traceId: order.traceId }, { search: tempo });
  if (!journey) return;
  const checksHold = traceModelChecks(journey).every((check) => check.ok);
  const stepsOnTimeline = journey.spans.filter((span) => span.name === `process ${TOPICS.ordersStatus}`).length;
  if (order.completeAfterMs === undefined && checksHold && stepsOnTimeline >= order.sample.completeAt.length) order.completeAfterMs = Date.now() - order.acceptedAt;
  if (journey.spans.some((span) => span.name === 'reconcile payment' && span.attributes['order.id'] === order.orderId)) order.reconciled = true;
}
