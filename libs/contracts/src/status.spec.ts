import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { OrderStatusEvent, statusEventId } from './status.js';

describe('statusEventId', () => {
  it('is the same for the same order and status, in any letter case, and a valid event id', () => {
    const orderId = randomUUID();
    const id = statusEventId(orderId, 'payment-charged');
    assert.equal(statusEventId(orderId.toUpperCase(), 'payment-charged'), id);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(OrderStatusEvent.safeParse({ eventId: id, orderId, status: 'payment-charged', service: 'payments', at: new Date().toISOString() }).success);
  });

  it('differs between statuses and between orders', () => {
    const orderId = randomUUID();
    const ids = new Set([statusEventId(orderId, 'placed'), statusEventId(orderId, 'payment-charged'), statusEventId(randomUUID(), 'placed')]);
    assert.equal(ids.size, 3);
  });
});
