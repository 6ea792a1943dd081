import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stackEndpoints } from '@mqtrace/config';
import { TOPICS } from '@mqtrace/contracts';
import { followTimelines, isComplete, loadReport, mixSequence, placeOrders, type PlacedOrder } from '@mqtrace/load';
import { TempoClient } from '@mqtrace/trace-query';
import { ORDER_API_URL, startServices, type RunningServices } from '../support/services.js';

// Scenario 2 of the reliability suite: a consumer stopped in the middle of a burst and
// started again. With SIGTERM it finishes the record in hand, commits, flushes its spans
// and exits; with SIGKILL it just dies. Either way no order may be lost: what it had not
// committed is delivered again to the new process.
const ORDERS = 200;
const RATE = 100;

/** The CONSUMER span each order's record gets in the killed service's topic, by service. */
const CONSUMED: Readonly<Record<string, string>> = { 'fulfillment-worker': TOPICS.ordersPlaced, payments: TOPICS.paymentsCharge };

describe('reliability: a consumer stopped in the middle of a burst', () => {
  let services: RunningServices;
  const tempo = new TempoClient(stackEndpoints().tempoUrl);
  before(async () => {
    services = await startServices();
  });
  after(async () => {
    await services.stop();
  });

  /** Places the burst, stops `service` with `signal` once a third is placed, starts it again; resolves with the orders and their timelines. */
  async function burstWithStop(service: string, signal: 'TERM' | 'KILL') {
    let answered = 0;
    let stopped: Promise<void> | undefined;
    const orders = await placeOrders({
      orderApiUrl: ORDER_API_URL,
      kinds: mixSequence(ORDERS),
      ratePerSecond: RATE,
      onAnswer: () => {
        answered += 1;
        if (answered === Math.round(ORDERS / 3)) stopped = services.kill(service, signal).then(() => services.restart());
      },
    });
    await stopped;
    assert.deepEqual(orders.filter((order) => order.status !== 202).map(({ status, error }) => `${status} ${error}`), [], 'every order accepted');
    const timelines = await followTimelines(orders, { orderApiUrl: ORDER_API_URL, done: (order, timeline) => isComplete(order.kind, timeline), timeoutMs: 120_000 });
    return { orders, report: loadReport(orders, timelines) };
  }

  /** Orders whose CONSUMER span of the killed service's topic is not in Tempo (it searches every trace of the order). */
  async function ordersWithoutConsumerSpan(orders: readonly PlacedOrder[], topic: string): Promise<string[]> {
    const missing: string[] = [];
    const queue = [...orders];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let order = queue.shift(); order; order = queue.shift()) {
          const traceIds = await tempo.searchTraceIds(`{ span.order.id = "${order.orderId}" && kind = consumer && name = "process ${topic}" }`, { sinceSeconds: 3_600 });
          if (traceIds.length === 0) missing.push(order.orderId ?? '');
        }
      }),
    );
    return missing;
  }

  /** {@link ordersWithoutConsumerSpan}, asked again while some are missing (Tempo's search lags its ingest by a second or two), for at most 15 s. */
  async function awaitConsumerSpans(orders: readonly PlacedOrder[], topic: string): Promise<string[]> {
    let missing = await ordersWithoutConsumerSpan(orders, topic);
    for (let deadline = Date.now() + 15_000; missing.length > 0 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      missing = await ordersWithoutConsumerSpan(orders.filter((order) => missing.includes(order.orderId ?? '')), topic);
    }
    return missing;
  }

  for (const service of Object.keys(CONSUMED)) {
    it(`SIGTERM to ${service}: no order lost, and the spans of every record it finished reach Tempo`, async (t) => {
      const { orders, report } = await burstWithStop(service, 'TERM');
      t.diagnostic(`sent ${report.sent}, completed ${report.completed}, lost ${report.lost}, two outcomes ${report.conflicting}`);
      assert.equal(report.lost + report.incomplete, 0, 'every order reached its final state');
      assert.equal(report.conflicting, 0, 'no order has two payment outcomes');
      assert.deepEqual(await awaitConsumerSpans(orders, CONSUMED[service] ?? ''), [], `orders without a process ${CONSUMED[service]} span in Tempo`);
    });

    it(`SIGKILL to ${service}: no order lost (spans of the killed process may be; counted)`, async (t) => {
      const { orders, report } = await burstWithStop(service, 'KILL');
      assert.equal(report.lost + report.incomplete, 0, 'every order reached its final state');
      assert.equal(report.conflicting, 0, 'no order has two payment outcomes');
      const missing = await awaitConsumerSpans(orders, CONSUMED[service] ?? '');
      t.diagnostic(`sent ${report.sent}, completed ${report.completed}, lost ${report.lost}; ${missing.length} orders without a ${service} CONSUMER span in Tempo (spans the killed process had not exported)`);
    });
  }
});
