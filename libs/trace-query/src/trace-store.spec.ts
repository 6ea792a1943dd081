import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { JaegerClient } from './jaeger-client.js';
import { TempoClient } from './tempo-client.js';
import { TraceStoreError } from './trace-store.js';
import { waitForTrace } from './wait-for-trace.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

// A stand-in HTTP server for the failure answers a real backend gives rarely (500,
// garbage). The happy path is tested against real Tempo and Jaeger in infra/tests.
describe('trace store clients', () => {
  let server: Server;
  let baseUrl: string;
  let reply: { status: number; body: string } = { status: 404, body: '' };

  before(async () => {
    server = createServer((_request, response) => response.writeHead(reply.status).end(reply.body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports 404 as not found, for both backends', async () => {
    reply = { status: 404, body: 'trace not found' };
    assert.equal(await new TempoClient(baseUrl).getTrace(TRACE_ID), undefined);
    assert.equal(await new JaegerClient(baseUrl).getTrace(TRACE_ID), undefined);
  });

  it('reports a server error as an error, not as not found', async () => {
    reply = { status: 500, body: 'ingester unavailable' };
    await assert.rejects(new TempoClient(baseUrl).getTrace(TRACE_ID), (error: Error) => {
      assert.ok(error instanceof TraceStoreError);
      assert.match(error.message, /tempo answered 500 .* ingester unavailable/);
      return true;
    });
  });

  it('reports a reply that is not JSON as an error', async () => {
    reply = { status: 200, body: '<html>proxy login</html>' };
    await assert.rejects(new JaegerClient(baseUrl).getTrace(TRACE_ID), /jaeger answered with something that is not JSON/);
  });

  it('reports an unreachable backend as an error naming it', async () => {
    await assert.rejects(new TempoClient('http://127.0.0.1:1').getTrace(TRACE_ID), /tempo is not reachable at http:\/\/127.0.0.1:1/);
  });

  it('rejects an invalid trace id before asking', async () => {
    await assert.rejects(new TempoClient(baseUrl).getTrace('not-a-trace-id'), /32 hex digits/);
  });

  it('waitForTrace gives up with undefined when the trace never arrives', async () => {
    reply = { status: 404, body: '' };
    const started = Date.now();
    assert.equal(await waitForTrace(new TempoClient(baseUrl), TRACE_ID, { timeoutMs: 300, intervalMs: 50 }), undefined);
    assert.ok(Date.now() - started >= 300);
  });
});
