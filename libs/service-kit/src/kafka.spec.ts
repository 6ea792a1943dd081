import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sendTimeouts } from './kafka.js';

describe('sendTimeouts', () => {
  it('cuts each request so a send and its retries, backoffs included, fit in the time given', () => {
    for (const [sendTimeoutMs, retries] of [
      [4_000, 2],
      [4_000, 0],
      [800, 1],
      [48_000, 2],
    ] as const) {
      const { requestTimeout, connectionTimeout } = sendTimeouts(sendTimeoutMs, retries);
      const worstBackoffs = [200, 400, 800].slice(0, retries).reduce((sum, pause) => sum + pause * 1.2, 0);
      assert.ok((retries + 1) * requestTimeout + worstBackoffs <= sendTimeoutMs, `${sendTimeoutMs} ms, ${retries} retries: request timeout ${requestTimeout} ms`);
      assert.ok(requestTimeout >= (sendTimeoutMs - worstBackoffs) / (retries + 1) - 1, 'no shorter than it must be');
      assert.ok(connectionTimeout <= Math.min(1_000, requestTimeout));
    }
  });

  it('keeps at least 100 ms per request, however short the time given', () => {
    assert.equal(sendTimeouts(100, 2).requestTimeout, 100);
  });
});
