import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import request from 'supertest';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { MAX_MESSAGE_BYTES, TOPICS } from '@mqtrace/contracts';

// order-api's HTTP contract, against a real order-api process (started the way
// run-service.sh starts it) and the real Kafka broker of the native stack: what it
// answers, and what it publishes to orders.placed (only accepted orders, nothing else).
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const endpoints = stackEndpoints();
const kafka = new Kafka({ clientId: 'order-api-http-it', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const suffix = randomBytes(4).toString('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;

/** A record of orders.placed as the test consumer saw it. */
interface PlacedRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | undefined;
  readonly value: Record<string, unknown> | undefined;
  readonly traceId: string | undefined;
}

/** Everything this file's consumer read from orders.placed, and how far it got per partition. */
const placed = {
  records: [] as PlacedRecord[],
  lastOffsets: new Map<number, bigint>(),
  find: (orderId: string) => placed.records.find((record) => record.key === orderId),
};

const validOrder = (customerId: string) => ({
  customerId,
  currency: 'EUR',
  paymentMethod: 'tok_approved',
  items: [
    { sku: 'sku-mug', quantity: 2 },
    { sku: 'sku-tee', quantity: 1 },
  ],
});

/** A W3C traceparent with a fresh trace id, so a record published for the request is recognisable. */
function freshTraceparent(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  assert.ok(address && typeof address === 'object');
  return address.port;
}

/** High watermark per partition of orders.placed. */
async function highWatermarks(admin: Admin): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(TOPICS.ordersPlaced);
  return new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
}

/** Asserts an error answer: the exact status, a JSON body with a message. */
function assertErrorAnswer(response: request.Response, status: number): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${response.text}`);
  assert.match(String(response.headers['content-type']), /^application\/json/, `not JSON: ${response.text}`);
  const body = response.body as { message?: unknown };
  assert.ok(typeof body.message === 'string' && body.message.length > 0, `no message in ${response.text}`);
}

/** Asserts a 400 that names the offending field(s) in `errors: [{ path, message }]`. */
function assertContractViolation(response: request.Response, paths: readonly string[], messagePattern?: RegExp): void {
  assertErrorAnswer(response, 400);
  const errors = (response.body as { errors?: unknown }).errors;
  assert.ok(Array.isArray(errors) && errors.length > 0, `no field errors in ${response.text}`);
  for (const error of errors as Array<{ path?: unknown; message?: unknown }>) {
    assert.equal(typeof error.path, 'string', response.text);
    assert.ok(typeof error.message === 'string' && error.message.length > 0, response.text);
  }
  for (const path of paths) {
    const named = (errors as Array<{ path: string; message: string }>).filter((error) => error.path === path);
    assert.ok(named.length > 0, `no error for ${path} in ${response.text}`);
    if (messagePattern) assert.ok(named.some((error) => messagePattern.test(error.message)), `no error for ${path} matching ${messagePattern} in ${response.text}`);
  }
}

describe('order-api over HTTP, on the real broker', () => {
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> | undefined;
  let baseUrl = '';
  let admin: Admin | undefined;
  let consumer: Consumer | undefined;
  const output: string[] = [];

  before(async () => {
    await assertStackReachable(['kafka']);
    admin = kafka.admin();
    await admin.connect();
    // On a fresh broker nothing has created orders.placed yet (the services create their
    // topics by using them), and a consumer cannot subscribe to a topic that is not there.
    await admin.createTopics({ topics: [{ topic: TOPICS.ordersPlaced }], waitForLeaders: true });

    // A group of its own, from the end of the topic: it sees only records produced after
    // its offsets were resolved, which happens in its first fetch (after the group join).
    consumer = kafka.consumer({ groupId: `order-api-http-it-${suffix}`, maxWaitTimeInMs: 250 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.ordersPlaced, fromBeginning: false });
    let joined = false;
    let fetchedAfterJoin = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    consumer.on(consumer.events.FETCH, () => {
      if (joined) fetchedAfterJoin = true;
    });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        let value: Record<string, unknown> | undefined;
        try {
          value = JSON.parse(message.value?.toString() ?? '') as Record<string, unknown>;
        } catch {
          value = undefined;
        }
        const traceparent = message.headers?.['traceparent']?.toString();
        placed.records.push({ partition, offset: BigInt(message.offset), key: message.key?.toString(), value, traceId: traceparent?.split('-')[1] });
        placed.lastOffsets.set(partition, BigInt(message.offset));
      },
    });

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [...process.execArgv.filter((arg) => !arg.startsWith('--test')), '--import', '@mqtrace/telemetry/register', 'apps/order-api/src/main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, OTEL_SERVICE_NAME: 'order-api', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TRUST_INBOUND_TRACEPARENT: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = once(child, 'exit');
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);

    await waitUntil(
      async () => {
        if (child!.exitCode !== null || child!.signalCode !== null) throw new Error(`order-api exited (${child!.exitCode ?? child!.signalCode}) before it was ready:\n${output.join('')}`);
        try {
          return (await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) })).status === 200;
        } catch {
          return false;
        }
      },
      `order-api at ${baseUrl} to be ready`,
      90_000,
    );
    await waitUntil(() => fetchedAfterJoin, 'the test consumer to join its group and resolve its offsets');
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    await consumer?.disconnect();
    await admin?.disconnect();
  });

  describe('health', () => {
    it('GET /health/live answers 200 { status: "ok" }', async () => {
      const response = await request(baseUrl).get('/health/live').expect(200).expect('content-type', /json/);
      assert.equal(response.body.status, 'ok');
    });

    it('GET /health/ready answers 200 with Kafka and the timelines up', async () => {
      const response = await request(baseUrl).get('/health/ready').expect(200).expect('content-type', /json/);
      assert.equal(response.body.status, 'ok');
      assert.equal(response.body.details?.kafka?.status, 'up', response.text);
      assert.equal(response.body.details?.timelines?.status, 'up', response.text);
    });
  });

  describe('GET /openapi.json', () => {
    it('describes POST /orders (with the contract’s required fields) and GET /orders/{id}', async () => {
      const response = await request(baseUrl).get('/openapi.json').expect(200).expect('content-type', /json/);
      const document = response.body as {
        openapi?: string;
        paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string; required?: string[] } }> } }>>;
        components?: { schemas?: Record<string, { required?: string[] }> };
      };
      assert.equal(typeof document.openapi, 'string');
      assert.ok(document.paths?.['/orders']?.['post'], 'POST /orders is documented');
      assert.ok(document.paths?.['/orders/{id}']?.['get'], 'GET /orders/{id} is documented');
      let schema = document.paths['/orders']['post'].requestBody?.content?.['application/json']?.schema;
      if (schema?.$ref) schema = document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
      assert.ok(schema, 'POST /orders has a JSON request body schema');
      for (const field of ['customerId', 'currency', 'paymentMethod', 'items']) {
        assert.ok(schema.required?.includes(field), `the request body requires ${field}: ${JSON.stringify(schema)}`);
      }
    });
  });

  describe('POST /orders with a valid order', () => {
    it('answers 202 { orderId, traceId } with x-trace-id, publishes orders.placed, and shows the placed step', async () => {
      const order = validOrder(`good-${suffix}`);
      const response = await request(baseUrl).post('/orders').send(order).expect(202).expect('content-type', /json/);

      assert.deepEqual(Object.keys(response.body as object).sort(), ['orderId', 'traceId']);
      const { orderId, traceId } = response.body as { orderId: string; traceId: string };
      assert.match(orderId, UUID);
      assert.match(traceId, TRACE_ID);
      assert.equal(response.headers['x-trace-id'], traceId);

      await waitUntil(() => placed.find(orderId) !== undefined, `orders.placed record of ${orderId}`);
      const record = placed.find(orderId)!;
      const { placedAt, ...rest } = record.value ?? {};
      assert.deepEqual(rest, { ...order, orderId });
      assert.equal(typeof placedAt, 'string');
      assert.ok(!Number.isNaN(Date.parse(placedAt as string)), `placedAt ${String(placedAt)} is a date`);
      assert.equal(record.traceId, traceId, 'the record carries the trace of the request');

      let timeline: { status: number; body: { orderId?: string; timeline?: Array<{ status: string; service: string; traceId?: string }> } } | undefined;
      await waitUntil(
        async () => {
          const answer = await request(baseUrl).get(`/orders/${orderId}`);
          timeline = { status: answer.status, body: answer.body };
          return answer.status === 200 && (timeline.body.timeline ?? []).some((step) => step.status === 'placed');
        },
        `the timeline of ${orderId} to show "placed"`,
      );
      assert.equal(timeline!.body.orderId, orderId);
      const step = timeline!.body.timeline!.find((entry) => entry.status === 'placed');
      assert.equal(step?.service, 'order-api');
      assert.equal(step?.traceId, traceId);
      const shouted = await request(baseUrl).get(`/orders/${orderId.toUpperCase()}`);
      assert.equal(shouted.status, 200, 'the same UUID in upper case is the same order');
      assert.equal(shouted.body.orderId, orderId);
    });
  });

  describe('POST /orders with bad input: a 4xx with a reason, and nothing published', () => {
    /** Markers of the rejected requests: the customerId (where the body has one) and the trace id. */
    const badCustomerIds = new Set<string>();
    const badTraceIds = new Set<string>();
    let highBefore = new Map<number, bigint>();
    let n = 0;

    /** Sends one bad request with a fresh traceparent, remembered as a marker. */
    const sendBad = (build: (test: request.Test) => request.Test): request.Test => {
      const { traceId, traceparent } = freshTraceparent();
      badTraceIds.add(traceId);
      return build(request(baseUrl).post('/orders').set('traceparent', traceparent));
    };
    /** A customerId marking this request's body, should it ever be published. */
    const marker = (): string => {
      const customerId = `bad-${++n}-${suffix}`;
      badCustomerIds.add(customerId);
      return customerId;
    };
    const badOrder = (change: (order: Record<string, unknown>) => void): Record<string, unknown> => {
      const order: Record<string, unknown> = validOrder(marker());
      change(order);
      return order;
    };
    const withItem = (item: Record<string, unknown>) => badOrder((order) => (order['items'] = [item]));
    const postJson = (body: unknown) => sendBad((test) => test.set('content-type', 'application/json').send(JSON.stringify(body)));

    /** Places a valid order and waits until the test consumer has read it. */
    const placeSentinel = async (name: string): Promise<string> => {
      const { traceId, traceparent } = freshTraceparent();
      const response = await request(baseUrl).post('/orders').set('traceparent', traceparent).send(validOrder(`${name}-${suffix}`)).expect(202);
      const { orderId } = response.body as { orderId: string };
      await waitUntil(() => placed.find(orderId) !== undefined, `orders.placed record of the ${name} order`);
      // The marker this test relies on: a published record carries the request's trace id.
      assert.equal(placed.find(orderId)!.traceId, traceId, 'the record continues the trace of the request');
      return orderId;
    };

    before(async () => {
      await placeSentinel('sentinel-before');
      highBefore = await highWatermarks(admin!);
    });

    describe('breaks the contract: 400 naming the field', () => {
      it('quantity as a string ("2")', async () => {
        assertContractViolation(await postJson(withItem({ sku: 'sku-mug', quantity: '2' })), ['items.0.quantity']);
      });
      it('customerId as a number (5)', async () => {
        assertContractViolation(await postJson({ ...validOrder('unused'), customerId: 5 }), ['customerId']);
      });
      for (const field of ['customerId', 'currency', 'paymentMethod', 'items'] as const) {
        it(`${field} missing`, async () => {
          const order = badOrder(() => undefined);
          delete order[field];
          assertContractViolation(await postJson(order), [field]);
        });
      }
      it('sku of an item missing', async () => {
        assertContractViolation(await postJson(withItem({ quantity: 1 })), ['items.0.sku']);
      });
      it('an unknown field at the top level', async () => {
        assertContractViolation(await postJson(badOrder((order) => (order['couponCode'] = 'FREE'))), ['(root)'], /couponCode/);
      });
      it('an unknown field inside an item', async () => {
        assertContractViolation(await postJson(withItem({ sku: 'sku-mug', quantity: 1, price: 9.99 })), ['items.0'], /price/);
      });
      it('no items ([])', async () => {
        assertContractViolation(await postJson(badOrder((order) => (order['items'] = []))), ['items']);
      });
      it('51 items', async () => {
        const items = Array.from({ length: 51 }, (_, index) => ({ sku: `sku-${index}`, quantity: 1 }));
        assertContractViolation(await postJson(badOrder((order) => (order['items'] = items))), ['items']);
      });
      for (const quantity of [0, 101, 1.5]) {
        it(`quantity ${quantity}`, async () => {
          assertContractViolation(await postJson(withItem({ sku: 'sku-mug', quantity })), ['items.0.quantity']);
        });
      }
      for (const currency of ['EURO', 'eur', '']) {
        it(`currency ${JSON.stringify(currency)}`, async () => {
          assertContractViolation(await postJson(badOrder((order) => (order['currency'] = currency))), ['currency']);
        });
      }
      it('an empty JSON object ({})', async () => {
        assertContractViolation(await postJson({}), ['customerId', 'currency', 'paymentMethod', 'items']);
      });
      it('a JSON array ([]) instead of an object', async () => {
        assertContractViolation(await postJson([]), ['(root)']);
      });
    });

    describe('not a JSON object: 400', () => {
      it('malformed JSON ({"customerId":)', async () => {
        assertErrorAnswer(await sendBad((test) => test.set('content-type', 'application/json').send('{"customerId":')), 400);
      });
      for (const body of ['"x"', 'null']) {
        it(`the JSON value ${body}`, async () => {
          assertErrorAnswer(await sendBad((test) => test.set('content-type', 'application/json').send(body)), 400);
        });
      }
    });

    describe('too large: 413', () => {
      it(`a body over ${MAX_MESSAGE_BYTES} bytes`, async () => {
        const body = JSON.stringify(badOrder((order) => (order['paymentMethod'] = 'x'.repeat(MAX_MESSAGE_BYTES + 1024))));
        assert.ok(Buffer.byteLength(body) > MAX_MESSAGE_BYTES);
        assertErrorAnswer(await sendBad((test) => test.set('content-type', 'application/json').send(body)), 413);
      });
    });

    describe('not sent as application/json: 415', () => {
      it('text/plain carrying a valid order', async () => {
        assertErrorAnswer(await sendBad((test) => test.set('content-type', 'text/plain').send(JSON.stringify(validOrder(marker())))), 415);
      });
      it('no content type, carrying a valid order', async () => {
        // A Buffer is sent as is: superagent sets no content type for it.
        assertErrorAnswer(await sendBad((test) => test.send(Buffer.from(JSON.stringify(validOrder(marker()))))), 415);
      });
      it('application/x-www-form-urlencoded', async () => {
        const customerId = marker();
        assertErrorAnswer(await sendBad((test) => test.type('form').send({ customerId, currency: 'EUR', paymentMethod: 'tok_approved', items: 'sku-mug' })), 415);
      });
      it('JSON in a content encoding it cannot decode', async () => {
          const response = await sendBad((test) => test.set('content-type', 'application/json').set('content-encoding', 'x-unknown').send(JSON.stringify(validOrder(marker()))));
          assertErrorAnswer(response, 415);
          assert.equal(response.body.statusCode, 415, response.text);
          assert.equal(response.body.error, 'Unsupported Media Type', response.text);
          assert.doesNotMatch(response.body.message, /not valid JSON/, response.text);
      });
    });

    it('published nothing to orders.placed for any of the rejected requests', async () => {
      await placeSentinel('sentinel-after');
      // Every record a rejected request could have published was acknowledged before its
      // answer, so it lies below these watermarks: read every partition up to them.
      const highAfter = await highWatermarks(admin!);
      await waitUntil(
        () => [...highAfter].every(([partition, high]) => high <= (highBefore.get(partition) ?? 0n) || (placed.lastOffsets.get(partition) ?? -1n) >= high - 1n),
        `the test consumer to read orders.placed up to ${JSON.stringify(Object.fromEntries([...highAfter].map(([p, h]) => [p, String(h)])))}`,
      );
      const published = placed.records.filter(
        (record) => (record.traceId !== undefined && badTraceIds.has(record.traceId)) || badCustomerIds.has(String(record.value?.['customerId'])),
      );
      assert.deepEqual(
        published.map(({ partition, offset, value }) => ({ partition, offset: String(offset), value })),
        [],
        'rejected requests published orders.placed records',
      );
    });
  });

  describe('GET /orders/:id', () => {
    for (const id of ['not-a-uuid', '123']) {
      it(`answers 400 for the malformed id ${id}`, async () => {
        assertErrorAnswer(await request(baseUrl).get(`/orders/${id}`), 400);
      });
    }
    it('answers 404 for an order it never saw', async () => {
      assertErrorAnswer(await request(baseUrl).get(`/orders/${randomUUID()}`), 404);
    });
  });
});
