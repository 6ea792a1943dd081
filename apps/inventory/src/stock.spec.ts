import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StockTable } from './stock.js';

describe('StockTable', () => {
  it('reserves every item or none, and reports the SKUs that are short', () => {
    const stock = new StockTable({ scarce: 2, 'sold-out': 0 }, 10);
    assert.deepEqual(stock.reserve('o1', [{ sku: 'scarce', quantity: 1 }, { sku: 'any', quantity: 3 }]), { reserved: true });
    assert.equal(stock.available('scarce'), 1);
    assert.equal(stock.available('any'), 7);
    assert.deepEqual(stock.reserve('o2', [{ sku: 'scarce', quantity: 1 }, { sku: 'sold-out', quantity: 1 }]), { reserved: false, missing: ['sold-out'] });
    assert.equal(stock.available('scarce'), 1, 'nothing taken from an order that could not be reserved');
  });

  it('counts a SKU listed twice in one order as one demand', () => {
    const stock = new StockTable({ scarce: 2 }, 0);
    assert.deepEqual(stock.reserve('o1', [{ sku: 'scarce', quantity: 2 }, { sku: 'scarce', quantity: 1 }]), { reserved: false, missing: ['scarce'] });
  });

  it('reserves an order once when its message is delivered again', () => {
    const stock = new StockTable({ scarce: 1 }, 0);
    assert.deepEqual(stock.reserve('o1', [{ sku: 'scarce', quantity: 1 }]), { reserved: true });
    assert.deepEqual(stock.reserve('o1', [{ sku: 'scarce', quantity: 1 }]), { reserved: true });
    assert.equal(stock.available('scarce'), 0);
  });
});
