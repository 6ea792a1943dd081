import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { assertStackReachable } from './stack-reachability.js';
import { stackEndpoints } from './stack-endpoints.js';

describe('assertStackReachable', () => {
  it('passes when the part accepts connections', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      await assertStackReachable(['kafka', 'tempo'], stackEndpoints({ KAFKA_BROKERS: `127.0.0.1:${port}`, TEMPO_URL: `http://127.0.0.1:${port}` }));
    } finally {
      server.close();
    }
  });

  it('names every unreachable part, its variable, and how to start the stack', async () => {
    await assert.rejects(
      assertStackReachable(['kafka', 'jaeger'], stackEndpoints({ KAFKA_BROKERS: '127.0.0.1:1', JAEGER_URL: 'http://127.0.0.1:2' })),
      /not reachable: kafka at 127.0.0.1:1 \(KAFKA_BROKERS\), jaeger at 127.0.0.1:2 \(JAEGER_URL\)\. Start the native stack with `npm run stack:up`/,
    );
  });
});
