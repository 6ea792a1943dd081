import assert from 'node:assert/strict';
import { journeyOf, traceModelChecks } from '@mqtrace/journey';
import type { StoredSpan } from '@mqtrace/trace-query';

// Journeys built span by span, as Tempo returns them: the approved order in link mode
// (with a reconciliation run that also served another order) and the same in naive mode.
/** The order every fixture journey is about. */
export const ORDER = '6f0c1a52-1d4b-4c3e-9a57-2a3c1b4e5f60';
/** Another order, reconciled in the same run. */
export const OTHER_ORDER = '11111111-2222-4333-8444-555555555555';

function builder() {
  let clock = 1_000_000_000n;
  let next = 1;
  let offset = 100;
  const id = (digits: number) => (next++).toString(16).padStart(digits, '0');
  const spans: StoredSpan[] = [];
  const add = (traceId: string, name: string, kind: StoredSpan['kind'], service: string, parent?: StoredSpan, extra: Partial<StoredSpan> = {}): StoredSpan => {
    clock += 2_000_000n;
    const topic = name.replace(/^(send|process) /, '');
    const messaging: Record<string, string> = kind === 'PRODUCER' || kind === 'CONSUMER' ? { 'messaging.destination.name': topic, 'messaging.destination.partition.id': '0' } : {};
    const created: StoredSpan = {
      traceId,
      spanId: id(16),
      ...(parent ? { parentSpanId: parent.spanId } : {}),
      name,
      kind,
      service,
      startTimeUnixNano: clock,
      endTimeUnixNano: clock + 1_000_000n,
      attributes: { 'order.id': ORDER, ...messaging },
      links: [],
      status: 'UNSET',
      ...extra,
    };
    spans.push(created);
    return created;
  };
  /** A PRODUCER span and the CONSUMER span of its record (same topic, partition, offset); naive: the consumer is a root of a trace of its own. */
  const hop = (from: StoredSpan | { traceId: string; parent?: StoredSpan }, topic: string, producer: string, consumer: string, naive: boolean, producerExtra: Partial<StoredSpan> = {}) => {
    const record = { 'kafka.offset': offset++ };
    const parent = 'spanId' in from ? from : from.parent;
    const sent = add(from.traceId, `send ${topic}`, 'PRODUCER', producer, parent, producerExtra);
    Object.assign(sent.attributes, record);
    const consumed = naive ? add(id(32), `process ${topic}`, 'CONSUMER', consumer) : add(sent.traceId, `process ${topic}`, 'CONSUMER', consumer, sent);
    Object.assign(consumed.attributes, record);
    return { sent, consumed };
  };
  return { spans, add, hop, id };
}

/** The approved order's journey in link mode (or naive mode), with its checks and the spans tests point at. */
export function approvedJourney({ naive = false } = {}) {
  const { spans, add, hop, id } = builder();
  const order = id(32);
  const server = add(order, 'POST /orders', 'SERVER', 'order-api');
  const { consumed: fulfilment } = hop(server, 'orders.placed', 'order-api', 'fulfillment-worker', naive);
  let charge: StoredSpan | undefined;
  for (const [topic, consumer] of [['inventory.reserve', 'inventory'], ['payments.charge', 'payments'], ['notifications.send', 'notification']] as const) {
    const branch = id(32);
    const { consumed } = hop({ traceId: branch }, topic, 'fulfillment-worker', consumer, naive, { links: [{ traceId: fulfilment.traceId, spanId: fulfilment.spanId, attributes: {} }] });
    if (topic === 'payments.charge') charge = consumed;
  }
  assert.ok(charge);
  const run = add(id(32), 'payments reconciliation', 'INTERNAL', 'payments', undefined, { attributes: {}, links: [{ traceId: charge.traceId, spanId: charge.spanId, attributes: {} }] });
  add(run.traceId, 'reconcile payment', 'INTERNAL', 'payments', run);
  add(run.traceId, 'reconcile payment', 'INTERNAL', 'payments', run, { attributes: { 'order.id': OTHER_ORDER } });
  const traces = new Map<string, StoredSpan[]>();
  for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  const journey = journeyOf(traces, ORDER);
  return { journey, checks: traceModelChecks(journey), server, fulfilment, run };
}
