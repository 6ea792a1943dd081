import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutJourney } from './lanes.js';
import { approvedJourney, OTHER_ORDER } from './testing-fixtures/journeys.js';

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
