import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { ContractViolation, decodeMessage, MAX_MESSAGE_BYTES } from './decode.js';
import { PaymentCharge } from './fulfillment.js';
import { OrderStatusEvent } from './status.js';

const charge = { orderId: randomUUID(), amountMinor: 1999, currency: 'EUR', paymentMethod: 'tok_approved' };

describe('decodeMessage', () => {
  it('decodes a Buffer, a string, or a value a framework already parsed', () => {
    assert.deepEqual(decodeMessage('payments.charge', PaymentCharge, Buffer.from(JSON.stringify(charge))), charge);
    assert.deepEqual(decodeMessage('payments.charge', PaymentCharge, JSON.stringify(charge)), charge);
    assert.deepEqual(decodeMessage('payments.charge', PaymentCharge, charge), charge);
  });

  // What a client that is not ours may put on the wire: each a violation, never a crash.
  const hostile: Array<[string, unknown, RegExp]> = [
    ['a non-JSON value', Buffer.from('not json'), /\(root\) is not JSON/],
    ['an empty value', Buffer.alloc(0), /\(root\) is empty/],
    ['a null value (tombstone)', null, /\(root\)/],
    ['an undefined value', undefined, /\(root\)/],
    ['valid JSON of the wrong shape', Buffer.from('{"orderId":1}'), /orderId/],
    ['a JSON array', Buffer.from('[1,2]'), /\(root\)/],
    ['a value over the size limit', Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20), /over the 65536 allowed/],
    ['a negative amount', { ...charge, amountMinor: -1 }, /amountMinor/],
    ['an unknown field', { ...charge, cardNumber: '4111111111111111' }, /\(root\)/],
  ];
  for (const [what, value, message] of hostile) {
    it(`${what} is a ContractViolation naming the contract`, () => {
      assert.throws(
        () => decodeMessage('payments.charge', PaymentCharge, value),
        (error: unknown) => error instanceof ContractViolation && error.contract === 'payments.charge' && message.test(error.message),
      );
    });
  }
});

describe('OrderStatusEvent', () => {
  const event = { eventId: randomUUID(), orderId: randomUUID(), status: 'payment-charged', service: 'payments', at: new Date().toISOString(), traceId: '4bf92f3577b34da6a3ce929d0e0e4736' };
  it('accepts a status step with its trace id', () => {
    assert.deepEqual(decodeMessage('orders.status', OrderStatusEvent, event), event);
  });
  it('rejects an unknown status and a malformed trace id', () => {
    assert.throws(() => decodeMessage('orders.status', OrderStatusEvent, { ...event, status: 'lost' }), /status/);
    assert.throws(() => decodeMessage('orders.status', OrderStatusEvent, { ...event, traceId: '0'.repeat(32) }), /traceId/);
  });
});
