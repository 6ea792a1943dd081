import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlaceOrderRequest } from '@mqtrace/contracts';
import { DEFAULT_MIX, mixSequence, ORDER_KINDS, orderKindOf, orderRequest, parseMix } from './order-mix.js';

const counts = (kinds: readonly string[]) => Object.fromEntries(ORDER_KINDS.map((kind) => [kind, kinds.filter((one) => one === kind).length]));

describe('order mix', () => {
  it('lays out exactly the proportions of the mix, and any prefix is close to them', () => {
    const sequence = mixSequence(500);
    assert.deepEqual(counts(sequence), { approved: 325, declined: 50, transient: 50, poison: 50, 'out-of-stock': 25 });
    const first20 = counts(sequence.slice(0, 20));
    for (const kind of ORDER_KINDS) assert.ok(Math.abs((first20[kind] ?? 0) - (20 * DEFAULT_MIX[kind]) / 100) <= 1, `${kind} in the first 20`);
  });

  it('is the same every time (a run is repeatable)', () => {
    assert.deepEqual(mixSequence(50), mixSequence(50));
  });

  it('builds a valid POST /orders body for every kind', () => {
    for (const kind of ORDER_KINDS) assert.ok(PlaceOrderRequest.safeParse(orderRequest(kind)).success, kind);
  });

  it('tells the kind of an order from what it carries, and no kind for an order it did not build', () => {
    for (const kind of ORDER_KINDS) assert.equal(orderKindOf(orderRequest(kind)), kind);
    assert.equal(orderKindOf({ paymentMethod: 'tok_approved', items: [{ sku: 'sku-2', quantity: 1 }] }), undefined);
    assert.equal(orderKindOf({ paymentMethod: 'tok_approved', items: [{ sku: 'sku-1', quantity: 1 }, { sku: 'sold-out', quantity: 1 }] }), undefined);
  });

  it('parses a mix and names what is wrong with a bad one', () => {
    assert.deepEqual(parseMix('approved=3, poison=1'), { approved: 3, declined: 0, transient: 0, poison: 1, 'out-of-stock': 0 });
    assert.throws(() => parseMix('aproved=3'), /unknown order kind "aproved" \(known: approved, declined, transient, poison, out-of-stock\)/);
    assert.throws(() => parseMix('approved=-1'), /weight of approved must be a number ≥ 0, not "-1"/);
    assert.throws(() => parseMix('approved=0'), /at least one kind with a positive weight/);
  });
});
