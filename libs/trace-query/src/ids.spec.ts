import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidIdError, parseTraceId } from './ids.js';

describe('parseTraceId', () => {
  it('accepts 32 hex digits in any case and trims', () => {
    assert.equal(parseTraceId(' 0AF7651916CD43DD8448EB211C80319C '), '0af7651916cd43dd8448eb211c80319c');
  });

  for (const bad of ['', 'abc', '0af7651916cd43dd8448eb211c80319', '0af7651916cd43dd8448eb211c80319cz', 'g'.repeat(32), '0'.repeat(32)]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseTraceId(bad), InvalidIdError);
    });
  }
});
