import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TOPICS } from '@mqtrace/contracts';
import { runProgram, runScript } from '../support/scripts.js';
import { ORDER_API_URL, startServices, type RunningServices } from '../support/services.js';
import { readTopic, topicEnd } from '../support/topic-reader.js';

// Scenario 7 of the reliability suite: Schemathesis (a property-based HTTP fuzzer, from
// PyPI, in a pinned virtual environment) derives requests for POST /orders and
// GET /orders/:id from order-api's own OpenAPI document, valid ones and broken ones. The
// HAR file it records is then read back to check what Schemathesis cannot: that a
// rejected order put nothing on the wire, and an accepted one exactly one record.

/** The parts of a HAR file this test reads. */
interface Har {
  log: { entries: Array<{ request: { method: string; url: string }; response: { status: number; content?: { text?: string } } }> };
}

describe('reliability: order-api fuzzed from its OpenAPI document', () => {
  let services: RunningServices;
  let schemathesis: string;
  let reportDir: string;
  before(async () => {
    const provisioned = await runScript('provision-schemathesis.sh');
    assert.equal(provisioned.code, 0, provisioned.stderr);
    schemathesis = provisioned.stdout.trim();
    reportDir = await mkdtemp(join(tmpdir(), 'mqtrace-fuzz-'));
    services = await startServices();
  });
  after(async () => {
    await services?.stop();
    await rm(reportDir, { recursive: true, force: true });
  });

  it('answers no 5xx, rejects with a documented 4xx and a reason, and publishes exactly the orders it accepted', async (t) => {
    const placedFrom = await topicEnd(TOPICS.ordersPlaced);
    const har = join(reportDir, 'fuzz.har');
    const run = await runProgram(schemathesis, [
      'run',
      `${ORDER_API_URL}/openapi.json`,
      '--checks',
      'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,positive_data_acceptance',
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      '50',
      '--seed',
      '20261122',
      '--workers',
      '2',
      '--request-timeout',
      '10',
      '--report',
      'har',
      '--report-har-path',
      har,
      '--no-color',
    ]);
    assert.equal(run.code, 0, `schemathesis found a failure:\n${run.stdout}\n${run.stderr}`);

    const { entries } = (JSON.parse(await readFile(har, 'utf8')) as Har).log;
    const posts = entries.filter(({ request }) => request.method === 'POST' && new URL(request.url).pathname === '/orders');
    assert.ok(posts.length >= 50 && entries.length > posts.length, `requests to both operations (${posts.length} POST of ${entries.length})`);
    assert.deepEqual(entries.filter(({ response }) => response.status >= 500 || response.status === 0).map(({ request, response }) => `${response.status} ${request.method} ${request.url}`), [], 'no 5xx');
    for (const { request, response } of entries.filter(({ response }) => response.status >= 400)) {
      const body = JSON.parse(response.content?.text ?? '{}') as { message?: unknown };
      assert.ok(typeof body.message === 'string' || Array.isArray(body.message), `${response.status} ${request.method} ${request.url} without a reason: ${response.content?.text}`);
    }

    const accepted = posts.filter(({ response }) => response.status === 202).map(({ response }) => (JSON.parse(response.content?.text ?? '{}') as { orderId: string }).orderId);
    const published = (await readTopic(TOPICS.ordersPlaced, placedFrom)).map((record) => record.key);
    t.diagnostic(`${entries.length} requests, ${posts.length} POST /orders, ${accepted.length} accepted, ${published.length} records on ${TOPICS.ordersPlaced}`);
    assert.ok(accepted.length > 0, 'some generated orders were valid and accepted');
    assert.deepEqual([...published].sort(), [...accepted].sort(), 'one record per accepted order, none for a rejected one');
  });
});
