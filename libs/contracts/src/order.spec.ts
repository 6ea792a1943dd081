import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { validate } from './decode.js';
import { OrderPlaced, PlaceOrderRequest } from './order.js';

const valid = { customerId: 'c-42', currency: 'EUR', paymentMethod: 'tok_approved', items: [{ sku: 'BOOK-1', quantity: 2 }] };
const errorsOf = (body: unknown) => {
  const result = validate(PlaceOrderRequest, body);
  return result.ok ? [] : result.errors.map((error) => error.path);
};

describe('PlaceOrderRequest', () => {
  it('accepts a valid order and its typed value', () => {
    const result = validate(PlaceOrderRequest, valid);
    assert.deepEqual(result, { ok: true, value: valid });
  });

  // Every bad input the HTTP contract names, with the field it must be reported on.
  const bad: Array<[string, unknown, string[]]> = [
    ['a wrong type', { ...valid, customerId: 42 }, ['customerId']],
    ['a missing field', { currency: 'EUR', paymentMethod: 'tok_approved', items: valid.items }, ['customerId']],
    ['an unknown field', { ...valid, discount: 50 }, ['(root)']],
    ['an unknown field in an item', { ...valid, items: [{ sku: 'A', quantity: 1, price: 1 }] }, ['items.0']],
    ['empty items', { ...valid, items: [] }, ['items']],
    ['51 items', { ...valid, items: Array.from({ length: 51 }, (_, index) => ({ sku: `S${index}`, quantity: 1 })) }, ['items']],
    ['quantity 0', { ...valid, items: [{ sku: 'A', quantity: 0 }] }, ['items.0.quantity']],
    ['quantity 101', { ...valid, items: [{ sku: 'A', quantity: 101 }] }, ['items.0.quantity']],
    ['a fractional quantity', { ...valid, items: [{ sku: 'A', quantity: 1.5 }] }, ['items.0.quantity']],
    ['an invalid currency', { ...valid, currency: 'EURO' }, ['currency']],
    ['a lower-case currency', { ...valid, currency: 'eur' }, ['currency']],
    ['a blank sku', { ...valid, items: [{ sku: '  ', quantity: 1 }] }, ['items.0.sku']],
    ['not an object', 'order', ['(root)']],
    ['null', null, ['(root)']],
  ];
  for (const [what, body, paths] of bad) {
    it(`rejects ${what}, naming the field`, () => {
      assert.deepEqual(errorsOf(body), paths);
    });
  }

  it('counts characters as JSON Schema does (code points), and its document says the same bounds', () => {
    const emoji = '\u{1F600}';
    assert.equal(errorsOf({ ...valid, customerId: emoji.repeat(64) }).length, 0, '64 emoji are 64 characters, not 128');
    assert.deepEqual(errorsOf({ ...valid, customerId: emoji.repeat(65) }), ['customerId']);
    assert.deepEqual(validate(PlaceOrderRequest, { ...valid, customerId: ' c-42 ' }), { ok: true, value: { ...valid, customerId: ' c-42 ' } }, 'taken as sent, not trimmed');
    const schema = z.toJSONSchema(PlaceOrderRequest) as { properties: Record<string, { minLength?: number; maxLength?: number; pattern?: string; enum?: string[] }> };
    assert.deepEqual({ ...schema.properties['customerId'] }, { type: 'string', pattern: '\\S', minLength: 1, maxLength: 64 });
    assert.ok(schema.properties['currency']?.enum?.includes('EUR') && !schema.properties['currency'].enum.includes('XXXX'), 'the currencies are listed');
  });

  it('reports every field error at once', () => {
    assert.deepEqual(errorsOf({ customerId: '', currency: 'XXXX', paymentMethod: 'tok', items: [] }).sort(), ['currency', 'customerId', 'items']);
  });
});

describe('OrderPlaced', () => {
  it('is the request plus the id and the time order-api assigned', () => {
    const placed = { ...valid, orderId: '0b6f3f4e-8f1d-4c2a-9d55-3f0b8f2f7a10', placedAt: '2026-11-22T10:00:00.000Z' };
    assert.equal(validate(OrderPlaced, placed).ok, true);
    assert.deepEqual(validate(OrderPlaced, { ...placed, orderId: 'order-1' }).ok, false);
  });
});
