import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OrderStatusEvent, TOPICS } from '@mqtrace/contracts';
import { followTimelines, isCharged, isComplete, loadReport, mixSequence, placeOrders } from '@mqtrace/load';
import { ORDER_API_URL, startServices, type RunningServices } from '../support/services.js';
import { readTopic, topicEnd } from '../support/topic-reader.js';

// Scenario 1 of the reliability suite: a burst of the realistic mix at about 100 orders
// per second through the five services, then every promise checked on what the system
// shows (the timelines) and on what is on the wire (the dead-letter and status topics).
const ORDERS = 500;
const RATE = 100;

describe('reliability: a burst of 500 orders at 100 per second loses nothing', () => {
  let services: RunningServices;
  before(async () => {
    services = await startServices();
  });
  after(async () => {
    await services.stop();
  });

  it('every order reaches its final state, poison orders are dead-lettered once, no order has two payment outcomes, every charge is reconciled once', async (t) => {
    const dlqFrom = await topicEnd(TOPICS.paymentsChargeDlq);
    const statusFrom = await topicEnd(TOPICS.ordersStatus);
    const orders = await placeOrders({ orderApiUrl: ORDER_API_URL, kinds: mixSequence(ORDERS), ratePerSecond: RATE });
    assert.deepEqual(
      orders.filter((order) => order.status !== 202).map(({ status, error }) => `${status} ${error}`),
      [],
      'every order accepted',
    );
    // A reconciliation run every 10 s (RECONCILIATION_INTERVAL_MS) takes the last charges.
    const timelines = await followTimelines(orders, { orderApiUrl: ORDER_API_URL, done: (order, timeline) => isComplete(order.kind, timeline, { reconciled: true }), timeoutMs: 120_000 });
    const report = loadReport(orders, timelines, { reconciled: true });
    t.diagnostic(`sent ${report.sent}, completed ${report.completed}, lost ${report.lost}, dead-lettered ${report.deadLettered}, reconciled ${report.reconciled}/${report.charged}; 202 p50 ${report.acceptMs.p50} ms p99 ${report.acceptMs.p99} ms; 202 → notification-sent p50 ${report.notifiedMs.p50} ms p99 ${report.notifiedMs.p99} ms`);
    assert.equal(report.lost, 0, 'orders order-api never showed a step of');
    assert.equal(report.incomplete, 0, 'orders that stopped short of their final state');
    assert.equal(report.completed, ORDERS);
    assert.equal(report.conflicting, 0, 'orders with two payment outcomes');
    assert.equal(report.reconciled, report.charged);

    const poison = new Set(orders.filter((order) => order.kind === 'poison').map((order) => order.orderId));
    const ours = new Set(orders.map((order) => order.orderId));
    const deadLetters = (await readTopic(TOPICS.paymentsChargeDlq, dlqFrom)).filter((record) => record.key && ours.has(record.key));
    const perOrder = new Map<string, number>();
    for (const record of deadLetters) perOrder.set(record.key ?? '', (perOrder.get(record.key ?? '') ?? 0) + 1);
    assert.deepEqual([...perOrder.keys()].filter((orderId) => !poison.has(orderId)), [], 'only poison orders are dead-lettered');
    assert.deepEqual([...poison].filter((orderId) => perOrder.get(orderId ?? '') !== 1), [], 'each poison order is in the dead-letter topic exactly once');

    const reconciledEvents = new Map<string, number>();
    for (const record of await readTopic(TOPICS.ordersStatus, statusFrom)) {
      const event = OrderStatusEvent.safeParse(JSON.parse(record.value?.toString() ?? 'null'));
      if (event.success && event.data.status === 'reconciled' && ours.has(event.data.orderId)) reconciledEvents.set(event.data.orderId, (reconciledEvents.get(event.data.orderId) ?? 0) + 1);
    }
    const charged = orders.filter((order) => isCharged(order.kind)).map((order) => order.orderId ?? '');
    assert.deepEqual(charged.filter((orderId) => reconciledEvents.get(orderId) !== 1), [], 'each charged order reconciled exactly once');
  });
});
