import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayTimeoutError, PAYMENT_TOKENS, PaymentGateway } from './payment-gateway.js';

describe('PaymentGateway (simulated)', () => {
  it('approves, declines, and declines tokens it does not know', () => {
    const gateway = new PaymentGateway();
    assert.deepEqual(gateway.charge('o1', PAYMENT_TOKENS.approved), { approved: true });
    assert.deepEqual(gateway.charge('o2', PAYMENT_TOKENS.declined), { approved: false, reason: 'card declined by issuer' });
    assert.deepEqual(gateway.charge('o3', '4111111111111111'), { approved: false, reason: 'unknown payment method' });
  });

  it('fails a transient charge once per order, then charges it', () => {
    const gateway = new PaymentGateway();
    assert.throws(() => gateway.charge('o1', PAYMENT_TOKENS.transient), GatewayTimeoutError);
    assert.deepEqual(gateway.charge('o1', PAYMENT_TOKENS.transient), { approved: true });
    assert.throws(() => gateway.charge('o2', PAYMENT_TOKENS.transient), GatewayTimeoutError, 'another order fails its own first attempt');
  });

  it('answers a charge delivered again with its first outcome', () => {
    const gateway = new PaymentGateway();
    assert.deepEqual(gateway.charge('o1', PAYMENT_TOKENS.declined), { approved: false, reason: 'card declined by issuer' });
    assert.deepEqual(gateway.charge('o1', PAYMENT_TOKENS.approved), { approved: false, reason: 'card declined by issuer' }, 'the same order is not charged again');
  });

  it('fails a poison charge on every attempt', () => {
    const gateway = new PaymentGateway();
    for (let attempt = 0; attempt < 5; attempt += 1) assert.throws(() => gateway.charge('o1', PAYMENT_TOKENS.poison), GatewayTimeoutError);
  });
});
