import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { TOPICS, type OrderPlaced } from '@mqtrace/contracts';
import { journeyOf, traceModelChecks } from '@mqtrace/journey';
import { TempoClient, traceQlTrace, type StoredSpan } from '@mqtrace/trace-query';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, SCREENSHOT_DIR } from './support/browser.js';
import { descendsFrom, describeJourney, spansNamed, theSpan, waitForJourney, type Journey } from './support/journey.js';
import { startJourneyPage, type JourneyPageProcess } from './support/journey-page.js';
import { runScript } from './support/scripts.js';
import { ORDER_API_URL, startServices, stopAllServices, type RunningServices } from './support/services.js';
import { runVerify } from './support/verify-cli.js';

// The five services as separate processes (started by infra/scripts/services.sh, as
// users start them) against the native stack; every assertion reads the traces back
// from Tempo. One block per set of switches: each restarts the services with them.
const endpoints = stackEndpoints();
const tempo = new TempoClient(endpoints.tempoUrl);
/** Fast reconciliation and retries, so a journey completes in seconds. */
const QUICK = { RECONCILIATION_INTERVAL_MS: '2000', PAYMENTS_RETRY_INITIAL_DELAY_MS: '300', PAYMENTS_RETRY_MAX_DELAY_MS: '600' };

interface PlacedOrder {
  readonly orderId: string;
  readonly traceId: string;
}

async function placeOrder(paymentMethod: string, { sku = 'sku-1', headers = {} }: { sku?: string; headers?: Record<string, string> } = {}): Promise<PlacedOrder> {
  const response = await fetch(`${ORDER_API_URL}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ customerId: 'customer-7', currency: 'EUR', paymentMethod, items: [{ sku, quantity: 2 }] }),
  });
  assert.equal(response.status, 202, await response.clone().text());
  const placed = (await response.json()) as PlacedOrder;
  assert.equal(response.headers.get('x-trace-id'), placed.traceId);
  return placed;
}

async function timelineOf(orderId: string): Promise<string[]> {
  const response = await fetch(`${ORDER_API_URL}/orders/${orderId}`);
  assert.equal(response.status, 200);
  return ((await response.json()) as { timeline: Array<{ status: string }> }).timeline.map(({ status }) => status);
}

/** Produces one record the way a client that is not ours would: plain kafkajs, its own traceparent. */
async function produceRaw(topic: string, key: string, value: string, traceparent: string): Promise<void> {
  const producer = new Kafka({ brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key, value, headers: { traceparent } }] });
  } finally {
    await producer.disconnect();
  }
}

/** The browser of the journey page tests, started once for the file. */
let browser: Browser | undefined;
after(async () => {
  await browser?.close();
});

/** A tab at the projector size the page is made for. */
async function openTab(): Promise<Page> {
  browser ??= await launchBrowser();
  return browser.newPage({ viewport: { width: 1280, height: 720 } });
}

/** Waits until the journey page, updating itself, shows a condition (no reload). */
async function waitOnPage(tab: Page, what: string, condition: () => boolean, timeoutMs = 90_000): Promise<void> {
  try {
    await tab.waitForFunction(condition, undefined, { timeout: timeoutMs, polling: 250 });
  } catch (error) {
    const shown = await tab.locator('main').innerText().catch(() => '(no page)');
    throw new Error(`the journey page never showed ${what}:\n${shown.slice(0, 3000)}`, { cause: error });
  }
}

const statusEvents = (journey: Journey) => spansNamed(journey, `process ${TOPICS.ordersStatus}`, 'order-api').length;
const has = (journey: Journey, name: string) => spansNamed(journey, name).length > 0;
const newTraceparent = () => ({ traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') });

/** The order trace: SERVER → PRODUCER `send orders.placed` → CONSUMER `process orders.placed`, one chain. */
function assertOrderTrace(journey: Journey, placed: PlacedOrder): StoredSpan {
  const server = theSpan(journey, 'POST /orders', 'order-api');
  const producer = theSpan(journey, `send ${TOPICS.ordersPlaced}`, 'order-api');
  const consumer = theSpan(journey, `process ${TOPICS.ordersPlaced}`, 'fulfillment-worker');
  assert.equal(server.kind, 'SERVER');
  assert.equal(server.attributes['http.route'], '/orders');
  assert.equal(server.traceId, placed.traceId, 'the 202 names the order trace');
  assert.equal(producer.kind, 'PRODUCER');
  assert.equal(producer.traceId, placed.traceId);
  assert.ok(descendsFrom(journey, producer, server.spanId), 'the PRODUCER span is inside the request');
  assert.equal(consumer.kind, 'CONSUMER');
  assert.equal(consumer.parentSpanId, producer.spanId, 'the CONSUMER span is the child of the PRODUCER span');
  assert.equal(consumer.attributes['messaging.system.name'], 'kafka');
  assert.equal(consumer.attributes['messaging.destination.name'], TOPICS.ordersPlaced);
  assert.equal(consumer.attributes['messaging.consumer.group.name'], 'fulfillment-worker-server');
  return consumer;
}

/** A branch trace: a root PRODUCER span linked to `process orders.placed`, and its CONSUMER child. */
function assertBranch(journey: Journey, topic: string, consumerService: string, fulfilment: StoredSpan): StoredSpan {
  const producer = theSpan(journey, `send ${topic}`, 'fulfillment-worker');
  assert.equal(producer.kind, 'PRODUCER');
  assert.equal(producer.parentSpanId, undefined, `send ${topic} roots a new trace`);
  assert.notEqual(producer.traceId, fulfilment.traceId);
  assert.ok(
    producer.links.some((link) => link.traceId === fulfilment.traceId && link.spanId === fulfilment.spanId),
    `send ${topic} links to process orders.placed:\n${describeJourney(journey)}`,
  );
  const consumer = theSpan(journey, `process ${topic}`, consumerService);
  assert.equal(consumer.kind, 'CONSUMER');
  assert.equal(consumer.parentSpanId, producer.spanId, `process ${topic} is the child of send ${topic}`);
  return consumer;
}

/** Every span of the order's traces carries its `order.id` (a reconciliation run may serve other orders too). */
function assertOrderIdEverywhere(journey: Journey, reconciliationTraceId?: string): void {
  for (const span of journey.spans) {
    if (span.traceId === reconciliationTraceId) continue;
    assert.equal(span.attributes['order.id'], journey.orderId, `${span.service} ${span.name} carries order.id`);
  }
}

describe('order journeys through the five services (default switches: fan-out by links, retries through a retry topic)', () => {
  let services: RunningServices | undefined;
  const client = newTraceparent();
  const orders: Record<'approved' | 'declined' | 'transient' | 'poison' | 'outOfStock', PlacedOrder> = {} as never;

  before(async () => {
    await assertStackReachable(['kafka', 'collector', 'tempo']);
    services = await startServices(QUICK);
    orders.approved = await placeOrder('tok_approved', { headers: { traceparent: `00-${client.traceId}-${client.spanId}-01` } });
    orders.declined = await placeOrder('tok_declined');
    orders.transient = await placeOrder('tok_transient');
    orders.poison = await placeOrder('tok_poison');
    orders.outOfStock = await placeOrder('tok_approved', { sku: 'sold-out' });
  });
  after(async () => {
    await services?.stop();
  });

  it('approved: the order trace continues the client, three linked branch traces, a reconciliation run linked to the charge', async () => {
    const journey = await waitForJourney(tempo, orders.approved.orderId, (j) => has(j, 'reconcile payment') && statusEvents(j) >= 5 && has(j, `process ${TOPICS.paymentsReconciliation}`));
    assert.equal(orders.approved.traceId, client.traceId, "the client's traceparent is continued (TRUST_INBOUND_TRACEPARENT defaults to true)");
    assert.equal(theSpan(journey, 'POST /orders').parentSpanId, client.spanId);
    const fulfilment = assertOrderTrace(journey, orders.approved);
    assertBranch(journey, TOPICS.inventoryReserve, 'inventory', fulfilment);
    assertBranch(journey, TOPICS.notificationsSend, 'notification', fulfilment);
    const charge = assertBranch(journey, TOPICS.paymentsCharge, 'payments', fulfilment);
    assert.equal(charge.status, 'UNSET');
    assert.equal(charge.attributes['mqtrace.delivery.attempt'], 1);
    const enqueue = theSpan(journey, `send ${TOPICS.paymentsReconciliation}`, 'payments');
    assert.equal(enqueue.parentSpanId, charge.spanId);

    // A run reconciles whatever is queued, other orders' payments too.
    const [item, ...more] = spansNamed(journey, 'reconcile payment', 'payments').filter((span) => span.attributes['order.id'] === orders.approved.orderId);
    assert.ok(item && more.length === 0, 'the payment is reconciled once');
    const run = (journey.traces.get(item.traceId) ?? []).find((span) => span.spanId === item.parentSpanId);
    assert.ok(run, 'the reconcile span has its run as parent');
    assert.equal(run.name, 'payments.reconciliation');
    assert.equal(run.kind, 'INTERNAL');
    assert.equal(run.parentSpanId, undefined, 'a run is a root span');
    assert.equal(run.attributes['mqtrace.job.trigger'], 'scheduler');
    assert.ok(Number(run.attributes['mqtrace.job.items']) >= 1);
    assert.ok(run.links.some((link) => link.traceId === charge.traceId && link.spanId === charge.spanId), 'the run links to the charge it reconciled');

    assertOrderIdEverywhere(journey, item.traceId);
    const broken = traceModelChecks(journeyOf(journey.traces, journey.orderId)).filter((check) => !check.ok);
    assert.deepEqual(broken, [], "@mqtrace/journey's trace-model checks all hold on the real journey");
    const verified = await runVerify([orders.approved.orderId, '--wait', '30']);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /✔ every expected edge holds \(tempo and jaeger\)/);
    assert.match(verified.stdout, /→[0-9a-f]{6}.*\n(.|\n)*←[0-9a-f]{6}/, 'links shown both ways');
    assert.deepEqual(new Set(await timelineOf(orders.approved.orderId)), new Set(['placed', 'inventory-reserved', 'notification-sent', 'payment-charged', 'reconciled']));
  });

  it('declined: a business outcome, no retry, no dead letter, no reconciliation', async () => {
    const journey = await waitForJourney(tempo, orders.declined.orderId, (j) => statusEvents(j) >= 4);
    const charge = assertBranch(journey, TOPICS.paymentsCharge, 'payments', assertOrderTrace(journey, orders.declined));
    assert.equal(charge.status, 'UNSET');
    for (const absent of [`send ${TOPICS.paymentsChargeRetry}`, `send ${TOPICS.paymentsChargeDlq}`, `send ${TOPICS.paymentsReconciliation}`]) assert.equal(spansNamed(journey, absent).length, 0, absent);
    assert.ok(spansNamed(journey, `send ${TOPICS.ordersStatus}`, 'payments').some((span) => span.parentSpanId === charge.spanId));
    assertOrderIdEverywhere(journey);
    assert.ok((await timelineOf(orders.declined.orderId)).includes('payment-declined'));
  });

  it('transient failure: the failed attempt, the hop through the retry topic, the attempt that succeeds, all in the payment trace', async () => {
    const journey = await waitForJourney(tempo, orders.transient.orderId, (j) => has(j, `process ${TOPICS.paymentsChargeRetry}`) && has(j, 'reconcile payment'));
    const first = assertBranch(journey, TOPICS.paymentsCharge, 'payments', assertOrderTrace(journey, orders.transient));
    assert.equal(first.status, 'ERROR');
    assert.equal(first.attributes['mqtrace.delivery.attempt'], 1);
    const hop = theSpan(journey, `send ${TOPICS.paymentsChargeRetry}`, 'payments');
    const second = theSpan(journey, `process ${TOPICS.paymentsChargeRetry}`, 'payments');
    assert.equal(hop.parentSpanId, first.spanId);
    assert.equal(second.parentSpanId, hop.spanId);
    assert.equal(second.traceId, first.traceId);
    assert.equal(second.attributes['mqtrace.delivery.attempt'], 2);
    assert.equal(second.status, 'UNSET');
    assert.equal(spansNamed(journey, `send ${TOPICS.paymentsChargeDlq}`).length, 0);
  });

  it('poison payment: every attempt fails, the dead-letter record reaches notification in the same trace, and the ops alert is on the timeline', async () => {
    const journey = await waitForJourney(tempo, orders.poison.orderId, (j) => has(j, `process ${TOPICS.paymentsChargeDlq}`) && statusEvents(j) >= 4);
    const first = assertBranch(journey, TOPICS.paymentsCharge, 'payments', assertOrderTrace(journey, orders.poison));
    const retries = spansNamed(journey, `process ${TOPICS.paymentsChargeRetry}`, 'payments');
    const attempts = [first, ...retries];
    assert.deepEqual(attempts.map((span) => span.attributes['mqtrace.delivery.attempt']).sort(), [1, 2, 3]);
    assert.ok(attempts.every((span) => span.status === 'ERROR' && span.traceId === first.traceId));
    const last = retries.find((span) => span.attributes['mqtrace.delivery.attempt'] === 3)!;
    const deadLetter = theSpan(journey, `send ${TOPICS.paymentsChargeDlq}`, 'payments');
    const alert = theSpan(journey, `process ${TOPICS.paymentsChargeDlq}`, 'notification');
    assert.equal(deadLetter.parentSpanId, last.spanId);
    assert.equal(alert.parentSpanId, deadLetter.spanId);
    assert.equal(alert.traceId, first.traceId, 'the dead-letter path stays in the trace of the failed payment');
    assert.ok(spansNamed(journey, `send ${TOPICS.ordersStatus}`, 'notification').some((span) => span.parentSpanId === alert.spanId));
    assert.equal(spansNamed(journey, 'reconcile payment').length, 0);
    assertOrderIdEverywhere(journey);
    assert.ok((await timelineOf(orders.poison.orderId)).includes('payment-dead-lettered'));
  });

  it('out of stock: a status event, not an error', async () => {
    const journey = await waitForJourney(tempo, orders.outOfStock.orderId, (j) => statusEvents(j) >= 5);
    const reserve = assertBranch(journey, TOPICS.inventoryReserve, 'inventory', assertOrderTrace(journey, orders.outOfStock));
    assert.equal(reserve.status, 'UNSET');
    assert.ok((await timelineOf(orders.outOfStock.orderId)).includes('out-of-stock'));
  });

  it('a record that is not an order is dead-lettered at once and raises an ops alert in its own trace', async () => {
    const orderId = randomUUID();
    const theirs = newTraceparent();
    await produceRaw(TOPICS.ordersPlaced, orderId, 'this is not JSON', `00-${theirs.traceId}-${theirs.spanId}-01`);
    const journey = await waitForJourney(tempo, orderId, (j) => has(j, `process ${TOPICS.ordersPlacedDlq}`));
    const failed = theSpan(journey, `process ${TOPICS.ordersPlaced}`, 'fulfillment-worker');
    assert.equal(failed.parentSpanId, theirs.spanId);
    assert.equal(failed.status, 'ERROR');
    assert.equal(failed.attributes['error.type'], 'PoisonMessageError');
    assert.equal(failed.attributes['mqtrace.delivery.attempt'], 1, 'poison is not retried');
    const deadLetter = theSpan(journey, `send ${TOPICS.ordersPlacedDlq}`, 'fulfillment-worker');
    const alert = theSpan(journey, `process ${TOPICS.ordersPlacedDlq}`, 'notification');
    assert.equal(deadLetter.parentSpanId, failed.spanId);
    assert.equal(alert.parentSpanId, deadLetter.spanId);
    assert.equal(alert.status, 'UNSET');
    assert.equal(spansNamed(journey, `send ${TOPICS.inventoryReserve}`).length, 0, 'nothing fanned out');
  });

  it("a record produced by a client that is not ours is continued from the traceparent that client chose", async () => {
    const theirs = newTraceparent();
    const order: OrderPlaced = { orderId: randomUUID(), placedAt: new Date().toISOString(), customerId: 'customer-8', currency: 'USD', paymentMethod: 'tok_declined', items: [{ sku: 'sku-2', quantity: 1 }] };
    await produceRaw(TOPICS.ordersPlaced, order.orderId, JSON.stringify(order), `00-${theirs.traceId}-${theirs.spanId}-01`);
    const journey = await waitForJourney(tempo, order.orderId, (j) => has(j, `process ${TOPICS.ordersPlaced}`));
    const consumer = theSpan(journey, `process ${TOPICS.ordersPlaced}`, 'fulfillment-worker');
    assert.equal(consumer.traceId, theirs.traceId);
    assert.equal(consumer.parentSpanId, theirs.spanId);
  });

  describe('the journey page in a real browser (npm run journeys, Debian Chromium)', () => {
    let page: JourneyPageProcess | undefined;
    before(async () => {
      page = await startJourneyPage({ JAEGER_UI_URL: 'http://127.0.0.1:16686', GRAFANA_URL: 'http://127.0.0.1:3100/' });
    });
    after(async () => {
      assert.equal(await page?.stop(), 0, 'Ctrl-C stops the page cleanly');
    });

    it('an approved order: the page fills in as the spans arrive; five lanes, the fan-out and the reconciliation run drawn as arrows, every check ✔', async () => {
      // The tab first (a browser's start takes a second or two), so the page is opened
      // right after the 202, before batching and the sampler's wait let a span reach Tempo.
      const tab = await openTab();
      const placed = await placeOrder('tok_approved');
      const first = await tab.goto(`${page!.url}/journeys/${placed.orderId}`);
      assert.equal(first?.status(), 404, 'opened before any span reached Tempo');
      assert.match(await tab.locator('main').innerText(), /No trace of it in Tempo yet/);
      await waitOnPage(tab, 'the reconciliation lane and every check ✔', () =>
        document.querySelector('[data-lane-kind="reconciliation"]') !== null &&
        document.querySelectorAll('[data-check-id]').length > 0 &&
        [...document.querySelectorAll('[data-check-id]')].every((item) => item.getAttribute('data-ok') === 'true') &&
        document.querySelectorAll('[data-span-name="process orders.status"]').length >= 5,
      );
      await tab.screenshot({ path: `${SCREENSHOT_DIR}journey-approved-1280x720.png` });
      const lanes = await tab.locator('svg.picture g[data-lane]').evaluateAll((groups) => groups.map((group) => `${group.getAttribute('data-lane-kind')} ${group.querySelector('.lane-title')?.firstChild?.textContent}`));
      assert.deepEqual(lanes.map((lane) => lane.replace(/^(\w+) \d\. /, '$1 ')).sort(), ['branch branch inventory.reserve', 'branch branch notifications.send', 'branch branch payments.charge', 'order order trace', 'reconciliation reconciliation run']);
      assert.equal(await tab.locator('svg.picture').getAttribute('data-lanes'), '5');
      assert.equal(await tab.locator('[data-verdict="ok"]').count(), 1);

      // The fan-out: an arrow from the order lane to each branch lane, from process orders.placed.
      const arrows = await tab.locator('svg.picture [data-arrow]').evaluateAll((paths) => paths.map((path) => ({ kind: path.getAttribute('data-arrow'), tail: Number(path.getAttribute('data-tail-lane')), head: Number(path.getAttribute('data-head-lane')), tailSpan: document.querySelector(`[data-span-key="${path.getAttribute('data-tail')}"]`)?.getAttribute('data-span-name'), headSpan: document.querySelector(`[data-span-key="${path.getAttribute('data-head')}"]`)?.getAttribute('data-span-name') })));
      const laneOf = async (kind: string, title: string) => Number(await tab.locator(`g[data-lane-kind="${kind}"]`, { hasText: title }).getAttribute('data-lane'));
      for (const topic of [TOPICS.inventoryReserve, TOPICS.paymentsCharge, TOPICS.notificationsSend]) {
        const branch = await laneOf('branch', topic);
        assert.ok(arrows.some((arrow) => arrow.kind === 'link' && arrow.tail === 0 && arrow.head === branch && arrow.tailSpan === 'process orders.placed' && arrow.headSpan === `send ${topic}`), `an arrow from the order lane to the ${topic} lane: ${JSON.stringify(arrows)}`);
      }
      // The scheduler link: from the charge in the payment lane to the reconciliation run.
      const payment = await laneOf('branch', TOPICS.paymentsCharge);
      const reconciliation = await laneOf('reconciliation', 'reconciliation run');
      assert.ok(arrows.some((arrow) => arrow.kind === 'link' && arrow.tail === payment && arrow.head === reconciliation && arrow.tailSpan === `process ${TOPICS.paymentsCharge}`), JSON.stringify(arrows));
      assert.equal(arrows.filter((arrow) => arrow.kind === 'broken').length, 0);
      // The same arrows in words, for people who do not see the picture.
      assert.match(await tab.locator('.arrow-list').innerText(), /lane 1 process orders\.placed → lane \d send inventory\.reserve: span link/);
      assert.match(await tab.locator('svg.picture desc').textContent() ?? '', /Arrow from lane 1 \(process orders\.placed\) to lane \d \(send payments\.charge\): a span link\./);

      // Each trace: its TraceQL query, and Jaeger and Grafana when configured.
      const orderRow = tab.locator(`tr[data-trace-row="${placed.traceId}"]`);
      // The id as Tempo matches it (without leading zeros: one trace in 16 has them).
      const query = traceQlTrace(placed.traceId);
      assert.ok((await orderRow.innerText()).includes(query), `the page shows ${query}`);
      assert.deepEqual((await tempo.searchTraces(query, { limit: 5, sinceSeconds: 3_600 })).map((hit) => hit.traceId), [placed.traceId], `Tempo finds the trace by the page's query ${query}`);
      assert.equal(await orderRow.getByRole('link', { name: 'Jaeger' }).getAttribute('href'), `http://127.0.0.1:16686/trace/${placed.traceId}`);
      const grafana = new URL((await orderRow.getByRole('link', { name: 'Grafana' }).getAttribute('href')) ?? '');
      assert.equal(`${grafana.origin}${grafana.pathname}`, 'http://127.0.0.1:3100/explore');
      assert.match(grafana.searchParams.get('panes') ?? '', new RegExp(`"query":"${placed.traceId}"`));

      // The keyboard walks the span list; the focused span is outlined in the picture.
      const rows = tab.locator('tr[data-row-key]');
      await rows.first().focus();
      await tab.keyboard.press('ArrowDown');
      await tab.keyboard.press('ArrowDown');
      const focused = await tab.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['rowKey']);
      assert.equal(focused, await rows.nth(2).getAttribute('data-row-key'));
      assert.equal(await tab.locator(`g.span.focused[data-span-key="${focused}"]`).count(), 1, 'the focused row\'s span is outlined');
      await tab.keyboard.press('End');
      assert.equal(await tab.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['rowKey']), await rows.last().getAttribute('data-row-key'));
      await tab.screenshot({ path: `${SCREENSHOT_DIR}journey-approved.png`, fullPage: true });
      await tab.close();
    });

    it('a poison payment: the retries and the dead-letter record in the payment lane, each failed attempt marked, every check ✔', async () => {
      const tab = await openTab();
      const opened = await tab.goto(`${page!.url}/journeys/${orders.poison.orderId}`);
      assert.equal(opened?.status(), 200);
      await waitOnPage(tab, 'the dead-letter path', () => document.querySelector('[data-span-name="process payments.charge.dlq"]') !== null && [...document.querySelectorAll('[data-check-id]')].every((item) => item.getAttribute('data-ok') === 'true'));
      const payment = tab.locator('g[data-lane-kind="branch"]', { hasText: `branch ${TOPICS.paymentsCharge}` });
      for (const name of [`process ${TOPICS.paymentsCharge}`, `send ${TOPICS.paymentsChargeRetry}`, `send ${TOPICS.paymentsChargeDlq}`, `process ${TOPICS.paymentsChargeDlq}`]) {
        assert.equal(await payment.locator(`g.span[data-span-name="${name}"]`).count() > 0, true, `${name} is in the payment lane`);
      }
      assert.equal(await payment.locator('g.span.error').count(), 3, 'three failed attempts, each marked');
      assert.equal(await tab.locator('[data-lane-kind="reconciliation"]').count(), 0, 'nothing to reconcile');
      assert.equal(await tab.locator('svg.picture').getAttribute('data-lanes'), '4', 'the order lane and three branch lanes: the retries and the dead letter stay in the payment trace');
      assert.equal(await tab.locator('[data-verdict="ok"]').count(), 1);
      assert.equal(await tab.locator('[data-status]').getAttribute('data-status'), 'payment-dead-lettered');
      await tab.screenshot({ path: `${SCREENSHOT_DIR}journey-poison.png`, fullPage: true });
      await tab.close();
    });

    it('the recent orders list: each order with its latest status and ✔ once its journey checks out', async () => {
      const tab = await openTab();
      await tab.goto(`${page!.url}/journeys`);
      await waitOnPage(tab, 'the poison order with ✔', () => [...document.querySelectorAll('tr[data-order-id]')].some((row) => row.textContent?.includes('payment-dead-lettered') && row.querySelector('[data-verdict="ok"]') !== null));
      const row = tab.locator(`tr[data-order-id="${orders.poison.orderId}"]`);
      assert.match(await row.innerText(), /payment-dead-lettered[\s\S]*✔/);
      await row.getByRole('link').click();
      await tab.waitForURL(`**/journeys/${orders.poison.orderId}`);
      await tab.close();
    });

    it('refuses what it cannot show, with a reason: not an id, a bad limit, an order nobody placed', async () => {
      const notAnId = await fetch(`${page!.url}/journeys/not-an-order`);
      assert.equal(notAnId.status, 400);
      assert.match(await notAnId.text(), /neither an order id \(a UUID, as POST \/orders returns it\) nor a trace id/);
      const badLimit = await fetch(`${page!.url}/journeys?limit=1000`);
      assert.equal(badLimit.status, 400);
      assert.match(await badLimit.text(), /limit must be a whole number from 1 to 100/);
      const unknown = await fetch(`${page!.url}/journeys/${randomUUID()}`);
      assert.equal(unknown.status, 404);
      assert.match(await unknown.text(), /No trace of it in Tempo yet/);
      assert.equal((await fetch(`${page!.url}/nothing-here`)).status, 404);
    });
  });
});

describe('child mode (TRACE_FANOUT=child) at an edge that does not trust clients (TRUST_INBOUND_TRACEPARENT=false)', () => {
  let services: RunningServices | undefined;
  before(async () => {
    services = await startServices({ ...QUICK, TRACE_FANOUT: 'child', TRUST_INBOUND_TRACEPARENT: 'false' });
  });
  after(async () => {
    await services?.stop();
  });

  it("the whole journey is one trace, and the client's traceparent is a link, not the parent", async () => {
    const client = newTraceparent();
    const placed = await placeOrder('tok_approved', { headers: { traceparent: `00-${client.traceId}-${client.spanId}-01` } });
    const journey = await waitForJourney(tempo, placed.orderId, (j) => has(j, `process ${TOPICS.inventoryReserve}`) && has(j, `process ${TOPICS.notificationsSend}`) && has(j, `process ${TOPICS.paymentsReconciliation}`));
    assert.notEqual(placed.traceId, client.traceId);
    const server = theSpan(journey, 'POST /orders');
    assert.equal(server.parentSpanId, undefined);
    assert.ok(server.links.some((link) => link.traceId === client.traceId && link.spanId === client.spanId && link.attributes['mqtrace.link.untrusted_inbound'] === true));
    const fulfilment = assertOrderTrace(journey, placed);
    for (const topic of [TOPICS.inventoryReserve, TOPICS.paymentsCharge, TOPICS.notificationsSend]) {
      const producer = theSpan(journey, `send ${topic}`, 'fulfillment-worker');
      assert.equal(producer.parentSpanId, fulfilment.spanId, `send ${topic} is a child of process orders.placed`);
    }
    const reconciliation = spansNamed(journey, 'reconcile payment')[0]?.traceId;
    const traces = new Set(journey.spans.filter((span) => span.traceId !== reconciliation).map((span) => span.traceId));
    assert.deepEqual([...traces], [placed.traceId], `one trace:\n${describeJourney(journey)}`);
    const checks = traceModelChecks(journeyOf(journey.traces, journey.orderId));
    assert.deepEqual(checks.filter((check) => !check.ok), []);
    assert.ok(checks.some((check) => check.id === 'branch.payments.charge.start' && check.title.endsWith('(child mode)')));
  });
});

describe('naive mode (TRACE_PROPAGATION=naive): the break the checks must see', () => {
  let services: RunningServices | undefined;
  before(async () => {
    services = await startServices({ ...QUICK, TRACE_PROPAGATION: 'naive' });
  });
  after(async () => {
    await services?.stop();
  });

  it('every CONSUMER span is an orphan root in a trace of its own', async () => {
    const placed = await placeOrder('tok_approved');
    const consumers = [`process ${TOPICS.ordersPlaced}`, `process ${TOPICS.inventoryReserve}`, `process ${TOPICS.paymentsCharge}`, `process ${TOPICS.notificationsSend}`];
    const journey = await waitForJourney(tempo, placed.orderId, (j) => consumers.every((name) => has(j, name)));
    for (const name of consumers) {
      const consumer = theSpan(journey, name);
      assert.equal(consumer.parentSpanId, undefined, `${name} has no parent`);
      assert.deepEqual(consumer.links, [], `${name} has no link either`);
      assert.equal((journey.traces.get(consumer.traceId) ?? []).filter((span) => span.parentSpanId === undefined).length, 1);
    }
    assert.notEqual(theSpan(journey, `process ${TOPICS.ordersPlaced}`).traceId, placed.traceId, 'the order trace ends at the producer');
    const broken = traceModelChecks(journeyOf(journey.traces, journey.orderId)).filter((check) => !check.ok).map((check) => check.reason);
    assert.ok(broken.includes('CONSUMER `process orders.placed` in fulfillment-worker is a root: the record carried no trace context'), broken.join('\n'));
    const verified = await runVerify([placed.orderId, '--wait', '5', '--no-waterfall']);
    assert.equal(verified.code, 1, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /✘ process orders.placed is the child of send orders.placed\n\s+CONSUMER `process orders.placed` in fulfillment-worker is a root: the record carried no trace context/);
  });

  it('the journey page shows the break: ✘, an orphan lane per consumer, a red broken edge from each record\'s producer', async () => {
    const page = await startJourneyPage();
    try {
      const placed = await placeOrder('tok_approved');
      const tab = await openTab();
      await tab.goto(`${page.url}/journeys/${placed.orderId}`);
      // Until each of the four hops has its broken edge (orders.status hops break too, so a count is not enough).
      await waitOnPage(tab, 'four orphan lanes, each with its broken edge', () =>
        document.querySelectorAll('g[data-lane-kind="orphan"]').length >= 4 &&
        ['orders.placed', 'inventory.reserve', 'payments.charge', 'notifications.send'].every((topic) =>
          [...document.querySelectorAll('[data-arrow="broken"]')].some(
            (path) =>
              document.querySelector(`[data-span-key="${path.getAttribute('data-tail')}"]`)?.getAttribute('data-span-name') === `send ${topic}` &&
              document.querySelector(`[data-span-key="${path.getAttribute('data-head')}"]`)?.getAttribute('data-span-name') === `process ${topic}`,
          ),
        ),
      );
      assert.equal(await tab.locator('[data-verdict="broken"]').count(), 1);
      assert.match(await tab.locator('[data-verdict="broken"]').innerText(), /✘ \d+ of \d+ checks fail/);
      const failed = tab.locator('[data-check-id="order.consume"]');
      assert.equal(await failed.getAttribute('data-ok'), 'false');
      assert.match(await failed.innerText(), /✘[\s\S]*process orders\.placed is the child of send orders\.placed[\s\S]*CONSUMER `process orders\.placed` in fulfillment-worker is a root: the record carried no trace context/);
      const broken = await tab.locator('[data-arrow="broken"]').evaluateAll((paths) => paths.map((path) => `${document.querySelector(`[data-span-key="${path.getAttribute('data-tail')}"]`)?.getAttribute('data-span-name')} → ${document.querySelector(`[data-span-key="${path.getAttribute('data-head')}"]`)?.getAttribute('data-span-name')}`));
      for (const topic of [TOPICS.ordersPlaced, TOPICS.inventoryReserve, TOPICS.paymentsCharge, TOPICS.notificationsSend]) assert.ok(broken.includes(`send ${topic} → process ${topic}`), broken.join('\n'));
      const stroke = await tab.locator('[data-arrow="broken"]').first().evaluate((path) => getComputedStyle(path).stroke);
      assert.equal(stroke, 'rgb(198, 40, 40)', 'broken edges are drawn red');
      await tab.screenshot({ path: `${SCREENSHOT_DIR}journey-naive.png`, fullPage: true });
      // The list says it too, before anyone opens the order.
      await tab.goto(`${page.url}/journeys`);
      const row = tab.locator(`tr[data-order-id="${placed.orderId}"]`);
      await row.locator('[data-verdict="broken"]').waitFor({ timeout: 30_000 });
      assert.match(await row.innerText(), /✘/);
      await tab.close();
    } finally {
      assert.equal(await page.stop(), 0);
    }
  });
});

describe('reconciliation survives a crash (payments SIGKILLed with a charged payment queued)', () => {
  let services: RunningServices | undefined;
  before(async () => {
    // No run for an hour: the item waits in the queue when payments is killed.
    services = await startServices({ ...QUICK, RECONCILIATION_INTERVAL_MS: '3600000' });
  });
  after(async () => {
    await services?.stop();
  });

  it('the item queued before the crash is reconciled after the restart', async () => {
    const placed = await placeOrder('tok_approved');
    await waitForJourney(tempo, placed.orderId, (j) => has(j, `process ${TOPICS.paymentsReconciliation}`));
    await services?.kill('payments');
    await services?.restart(QUICK);
    const journey = await waitForJourney(tempo, placed.orderId, (j) => spansNamed(j, 'reconcile payment').some((span) => span.attributes['order.id'] === placed.orderId));
    const queued = spansNamed(journey, `process ${TOPICS.paymentsReconciliation}`, 'payments');
    assert.ok(queued.length >= 2, `read before the crash and again after it: ${queued.length}`);
    assert.ok((await timelineOf(placed.orderId)).includes('reconciled'));
  });
});

describe('npm run demo -- --once (the README\'s first command)', () => {
  it('places an order on every path, waits for each journey and a reconciliation run, and exits 0 when all check out', async () => {
    await stopAllServices();
    // Plain text whatever the environment says about colours (CI=true turns them on).
    const demo = await runScript('demo.sh', ['--once', '--timeout', '90'], { NO_COLOR: '1' });
    assert.equal(demo.code, 0, demo.stdout + demo.stderr);
    for (const path of ['approved', 'declined', 'transient failure, charged on a retry', 'poison payment, dead-lettered, ops alert', 'out of stock']) assert.ok(demo.stdout.includes(path), path);
    assert.match(demo.stdout, /202 → journey complete in Tempo: normal orders 3\/3 complete; median \d+ ms, worst \d+ ms\n\s+with retries {2}2\/2 complete; median \d+ ms, worst \d+ ms/);
    assert.match(demo.stdout, /✔ every journey checks out/);
    assert.match(demo.stdout, /npm run verify -- [0-9a-f-]{36}/);
    assert.equal((await runScript('services.sh', ['status'])).code, 1, 'the demo stopped the services it started');
  });

  it('shows the break with TRACE_PROPAGATION=naive and exits non-zero', async () => {
    const demo = await runScript('demo.sh', ['--once', '--timeout', '15'], { TRACE_PROPAGATION: 'naive', NO_COLOR: '1' });
    assert.equal(demo.code, 1, demo.stdout + demo.stderr);
    assert.match(demo.stdout, /is a root: the record carried no trace context/);
    assert.match(demo.stdout, /✘ \d journey\(s\) broken/);
  });
});
