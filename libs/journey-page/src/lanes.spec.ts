import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journeyOf, traceModelChecks } from '@mqtrace/journey';
import type { StoredSpan } from '@mqtrace/trace-query';
import { layoutJourney } from './lanes.js';

// Journeys built span by span, as Tempo returns them: the approved order in link mode
// (with a reconciliation run that also served another order) and the same in naive mode.
const ORDER = '6f0c1a52-1d4b-4c3e-9a57-2a3c1b4e5f60';
const OTHER_ORDER = '11111111-2222-4333-8444-555555555555';

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

function approvedJourney({ naive = false } = {}) {
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

describe('layoutJourney', () => {
  it('link mode: the order lane first, a lane per branch, the reconciliation run last; an arrow per span link, from the linked span to the span holding the link', () => {
    const { journey, checks, fulfilment, run } = approvedJourney();
    const layout = layoutJourney(journey, checks);
    assert.deepEqual(
      layout.lanes.map((lane) => [lane.kind, lane.title]),
      [
        ['order', 'order trace'],
        ['branch', 'branch inventory.reserve'],
        ['branch', 'branch payments.charge'],
        ['branch', 'branch notifications.send'],
        ['reconciliation', 'reconciliation run'],
      ],
    );
    assert.deepEqual(
      layout.arrows.map((arrow) => [arrow.kind, arrow.tailLane, arrow.headLane]),
      [
        ['link', 0, 1],
        ['link', 0, 2],
        ['link', 0, 3],
        ['link', 2, 4],
      ],
    );
    assert.ok(layout.arrows.slice(0, 3).every((arrow) => arrow.tail.spanId === fulfilment.spanId));
    assert.equal(layout.arrows[3]?.head.spanId, run.spanId);
    // The run's item for another order is left out, and counted.
    const reconciliation = layout.lanes[4];
    assert.equal(reconciliation?.rows.length, 2);
    assert.equal(reconciliation?.otherOrdersSpans, 1);
  });

  it('rows in waterfall order with depth, and a CONSUMER row knows when its record was sent', () => {
    const { journey, checks } = approvedJourney();
    const [order] = layoutJourney(journey, checks).lanes;
    assert.deepEqual(
      order?.rows.map((row) => [row.span.name, row.depth]),
      [
        ['POST /orders', 0],
        ['send orders.placed', 1],
        ['process orders.placed', 2],
      ],
    );
    const [, sent, consumed] = order?.rows ?? [];
    assert.equal(consumed?.queuedSinceNanos, sent?.span.endTimeUnixNano);
    assert.equal(sent?.queuedSinceNanos, undefined);
  });

  it('the time axis spans the shown spans only (not the other order reconciled in the same run)', () => {
    const { journey, checks, server } = approvedJourney();
    const layout = layoutJourney(journey, checks);
    const other = journey.spans.find((span) => span.attributes['order.id'] === OTHER_ORDER);
    assert.equal(layout.startNanos, server.startTimeUnixNano);
    assert.ok(other && layout.endNanos < other.endTimeUnixNano);
  });

  it('naive mode: each CONSUMER root is an orphan lane, a broken arrow from the PRODUCER of its record (same topic, partition, offset), the failed checks on it', () => {
    const { journey, checks } = approvedJourney({ naive: true });
    const layout = layoutJourney(journey, checks);
    const orphans = layout.lanes.filter((lane) => lane.kind === 'orphan');
    assert.deepEqual(orphans.map((lane) => lane.title).sort(), [
      'orphan process inventory.reserve (no trace context)',
      'orphan process notifications.send (no trace context)',
      'orphan process orders.placed (no trace context)',
      'orphan process payments.charge (no trace context)',
    ]);
    const broken = layout.arrows.filter((arrow) => arrow.kind === 'broken');
    assert.equal(broken.length, 4);
    for (const arrow of broken) {
      const producer = journey.spans.find((span) => span.spanId === arrow.tail.spanId);
      const consumer = journey.spans.find((span) => span.spanId === arrow.head.spanId);
      assert.equal(producer?.kind, 'PRODUCER');
      assert.equal(consumer?.parentSpanId, undefined);
      assert.equal(producer?.attributes['kafka.offset'], consumer?.attributes['kafka.offset']);
      assert.equal(layout.lanes[arrow.headLane]?.kind, 'orphan');
    }
    const fulfilmentRow = orphans.find((lane) => lane.title.includes('orders.placed'))?.rows[0];
    assert.match(fulfilmentRow?.failedChecks[0]?.reason ?? '', /is a root: the record carried no trace context/);
  });

  it('draws no broken arrow it cannot prove: a PRODUCER without an offset (never acknowledged) matches nothing', () => {
    const { journey, checks } = approvedJourney({ naive: true });
    for (const span of journey.spans) if (span.kind === 'PRODUCER') delete (span.attributes as Record<string, unknown>)['kafka.offset'];
    assert.equal(layoutJourney(journey, checks).arrows.filter((arrow) => arrow.kind === 'broken').length, 0);
  });
});
