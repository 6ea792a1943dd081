import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ReconciliationItem } from '@mqtrace/contracts';
import { ReconciliationQueue } from './reconciliation-queue.js';

const item = (orderId = randomUUID()): ReconciliationItem => ({ orderId, amountMinor: 100, currency: 'EUR', chargedAt: new Date().toISOString(), traceContext: {} });
const at = (partition: number, offset: number) => ({ topic: 'payments.reconciliation', partition, offset: String(offset) });
const committed = (queue: ReconciliationQueue) => Object.fromEntries(queue.committable().map(({ partition, offset }) => [partition, offset]));

describe('ReconciliationQueue', () => {
  it('commits nothing past a record whose order is not reconciled yet', () => {
    const queue = new ReconciliationQueue();
    const [a, b] = [item(), item()];
    queue.add(a, at(0, 5));
    queue.add(b, at(0, 6));
    assert.deepEqual(queue.take().map(({ orderId }) => orderId), [a.orderId, b.orderId]);
    assert.deepEqual(committed(queue), { 0: '5' }, 'nothing reconciled: offset 5 is read again after a restart');
    queue.reconciled(b.orderId);
    assert.deepEqual(committed(queue), { 0: '5' }, 'offset 6 is done, but 5 is not');
    queue.reconciled(a.orderId);
    assert.deepEqual(committed(queue), { 0: '7' });
  });

  it('queues an order once, and a record of an order reconciled already is done at once', () => {
    const queue = new ReconciliationQueue();
    const a = item();
    queue.add(a, at(1, 0));
    queue.add(a, at(2, 0));
    assert.equal(queue.take().length, 1);
    queue.reconciled(a.orderId);
    queue.add(a, at(1, 1));
    assert.deepEqual(queue.take(), [], 'a redelivered item of a reconciled order is not reconciled twice');
    assert.deepEqual(committed(queue), { 1: '2', 2: '1' });
  });

  it('keeps a failed item for the next run, and a skipped record does not hold the commit back', () => {
    const queue = new ReconciliationQueue();
    const a = item();
    queue.skip(at(0, 0));
    queue.add(a, at(0, 1));
    const [taken] = queue.take();
    assert.ok(taken);
    queue.retryLater(taken);
    assert.deepEqual(committed(queue), { 0: '1' });
    assert.deepEqual(queue.take().map(({ orderId }) => orderId), [a.orderId]);
  });
});
