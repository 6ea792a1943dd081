import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrderStatus } from '@mqtrace/contracts';
import type { PlacedOrder } from './place-orders.js';
import { isComplete, loadReport, percentile } from './report.js';
import type { TimelineStep } from './timelines.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const steps = (...statuses: OrderStatus[]): TimelineStep[] => statuses.map((status, i) => ({ status, service: 'test', at: new Date(T0 + 100 + i * 10).toISOString() }));
const placed = (orderId: string | undefined, kind: PlacedOrder['kind'], status = 202): PlacedOrder => ({ kind, sentAt: T0 - 5, answeredAt: T0, status, ...(orderId ? { orderId, traceId: 'ab'.repeat(16) } : {}) });

describe('load report', () => {
  it('percentile is the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 0.5), 50);
    assert.equal(percentile(values, 0.99), 99);
    assert.equal(percentile(values, 1), 100);
    assert.equal(percentile([], 0.5), undefined);
  });

  it('an order is complete with every step of its kind, and reconciled when asked and charged', () => {
    assert.ok(isComplete('approved', steps('placed', 'notification-sent', 'inventory-reserved', 'payment-charged')));
    assert.ok(!isComplete('approved', steps('placed', 'notification-sent', 'inventory-reserved', 'payment-charged'), { reconciled: true }));
    assert.ok(isComplete('declined', steps('placed', 'notification-sent', 'inventory-reserved', 'payment-declined'), { reconciled: true }));
    assert.ok(!isComplete('poison', steps('placed', 'notification-sent', 'inventory-reserved')));
  });

  it('counts lost, incomplete, conflicting, dead-lettered and rejected orders, and the latencies', () => {
    const orders = [
      placed('a', 'approved'),
      placed('b', 'poison'),
      placed('c', 'approved'),
      placed('d', 'declined'),
      placed('e', 'transient'),
      placed(undefined, 'approved', 503),
    ];
    const timelines = new Map<string, TimelineStep[]>([
      ['a', steps('placed', 'notification-sent', 'inventory-reserved', 'payment-charged', 'reconciled')],
      ['b', steps('placed', 'notification-sent', 'inventory-reserved', 'payment-dead-lettered')],
      ['c', []],
      ['d', steps('placed', 'notification-sent', 'inventory-reserved', 'payment-declined', 'payment-charged')],
      ['e', steps('placed', 'inventory-reserved')],
    ]);
    const report = loadReport(orders, timelines, { reconciled: true });
    assert.deepEqual(
      { sent: report.sent, accepted: report.accepted, rejected: report.rejected, completed: report.completed, lost: report.lost, incomplete: report.incomplete, conflicting: report.conflicting, deadLettered: report.deadLettered, charged: report.charged, reconciled: report.reconciled },
      { sent: 6, accepted: 5, rejected: { 503: 1 }, completed: 3, lost: 1, incomplete: 1, conflicting: 1, deadLettered: 1, charged: 2, reconciled: 1 },
    );
    // notification-sent is the second step: 110 ms after the 202 in each timeline that has it.
    assert.deepEqual(report.notifiedMs, { p50: 110, p99: 110, max: 110 });
    assert.deepEqual(report.acceptMs, { p50: 5, p99: 5, max: 5 });
  });
});
