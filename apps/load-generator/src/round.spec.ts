import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadReport } from '@mqtrace/load';
import { isSustained } from './round.js';

/** A round of 100 orders/s that kept up, with `changes` on top. */
function round(changes: { achievedRate?: number; report?: Partial<LoadReport> } = {}) {
  const report: LoadReport = {
    sent: 2000,
    accepted: 2000,
    rejected: {},
    completed: 2000,
    lost: 0,
    incomplete: 0,
    conflicting: 0,
    deadLettered: 200,
    reconciled: 0,
    charged: 1400,
    acceptMs: { p50: 10, p99: 200, max: 400 },
    notifiedMs: { p50: 20, p99: 300, max: 500 },
    ...changes.report,
  };
  return { rate: 100, achievedRate: changes.achievedRate ?? 99.8, report };
}

describe('isSustained', () => {
  it('holds for a round that kept the rate, accepted and completed every order within the bound', () => {
    assert.equal(isSustained(round(), 1000), true);
  });

  it('fails a round that fell behind the rate, refused or lost orders, or went over the bound', () => {
    assert.equal(isSustained(round({ achievedRate: 77.8 }), 1000), false, 'rate not reached');
    assert.equal(isSustained(round({ report: { accepted: 1579, rejected: { 0: 421 } } }), 1000), false, 'orders not accepted');
    assert.equal(isSustained(round({ report: { lost: 1 } }), 1000), false, 'an order lost');
    assert.equal(isSustained(round({ report: { incomplete: 3 } }), 1000), false, 'orders stuck');
    assert.equal(isSustained(round({ report: { notifiedMs: { p50: 20, p99: 1200 } } }), 1000), false, 'processing too slow');
  });

  it("fails a round whose 202s were slow even when 202 → notified looks fast (the order was done before its answer arrived)", () => {
    assert.equal(isSustained(round({ report: { acceptMs: { p50: 544, p99: 7783 }, notifiedMs: { p50: -106, p99: 418 } } }), 1000), false);
  });
});
