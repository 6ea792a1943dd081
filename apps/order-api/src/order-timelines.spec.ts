import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { OrderStatusEvent } from '@mqtrace/contracts';
import { OrderTimelines } from './order-timelines.js';

const orderId = randomUUID();
const event = (status: OrderStatusEvent['status'], at: string): OrderStatusEvent => ({ eventId: randomUUID(), orderId, status, service: 'test', at });

describe('OrderTimelines', () => {
  it('keeps each order its events in time order and ignores a redelivered event', () => {
    const timelines = new OrderTimelines();
    const charged = event('payment-charged', '2026-11-22T10:00:02.000Z');
    assert.equal(timelines.record(charged, 0, '5'), true);
    assert.equal(timelines.record(event('placed', '2026-11-22T10:00:00.000Z'), 1, '3'), true);
    assert.equal(timelines.record(charged, 0, '9'), false, 'the same event id again');
    assert.deepEqual(timelines.timeline(orderId)?.map((entry) => entry.status), ['placed', 'payment-charged']);
    assert.equal(timelines.timeline(randomUUID()), undefined);
  });

  it('knows when it has read up to given end offsets, skipped records included', () => {
    const timelines = new OrderTimelines();
    const ends = new Map([[0, 2n], [1, 0n]]);
    assert.equal(timelines.hasRead(ends), false);
    timelines.record(event('placed', '2026-11-22T10:00:00.000Z'), 0, '0');
    assert.equal(timelines.hasRead(ends), false);
    timelines.skipped(0, '1');
    assert.equal(timelines.hasRead(ends), true, 'partition 1 is empty, partition 0 read through offset 1');
  });
});
