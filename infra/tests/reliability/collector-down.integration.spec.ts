import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stackEndpoints } from '@mqtrace/config';
import { findServiceProcesses, followTimelines, isComplete, loadReport, mixSequence, percentile, placeOrders, watchProcesses, type PlacedOrder, type ProcessUsage } from '@mqtrace/load';
import { TempoClient } from '@mqtrace/trace-query';
import { ORDER_API_URL, SERVICE_NAMES, startServices, type RunningServices } from '../support/services.js';
import { startStack, stopStackComponent } from '../support/stack.js';

// Scenario 5 of the reliability suite: the collector gateway (where every service sends
// its spans) stopped during a burst. Tracing is not on the order's path: every order must
// still complete, order-api must not slow down beyond a stated bound, no service may
// hoard spans it cannot send (its memory stays bounded), and traces must flow again
// once the gateway is back.
// 20 orders per second: a rate this machine sustains with the whole stack on it, so
// order-api's latency is steady enough to compare (at 40 per second its p99 already
// swings between 0.7 and 1.7 s from one burst to the next, gateway or not).
const RATE = 20;
const WARM_UP_ORDERS = 100;
const BASELINE_ORDERS = 200;
const OUTAGE_ORDERS = 200;
const AFTER_ORDERS = 20;
/** The bound on order-api's `202` p99 with the gateway down: twice the baseline's, or 250 ms more, whichever is larger. */
const latencyBound = (baselineP99: number) => Math.max(2 * baselineP99, baselineP99 + 250);
/** The bound on each service's peak RSS with the gateway down over its peak before (the span queue holds at most 2048 spans). */
const RSS_GROWTH_BOUND_MIB = 100;

const p99 = (orders: readonly PlacedOrder[]) => percentile(orders.map((order) => order.answeredAt - order.sentAt), 0.99) ?? Number.NaN;

describe('reliability: the collector gateway stopped in the middle of a burst', () => {
  let services: RunningServices;
  const tempo = new TempoClient(stackEndpoints().tempoUrl);
  before(async () => {
    services = await startServices();
  });
  after(async () => {
    await startStack();
    await services.stop();
  });

  /** Places `count` orders while the services' processes are watched. */
  async function watchedBurst(count: number): Promise<{ orders: PlacedOrder[]; usage: Map<string, ProcessUsage> }> {
    const watch = watchProcesses(await findServiceProcesses(SERVICE_NAMES));
    await watch.firstSample;
    const orders = await placeOrders({ orderApiUrl: ORDER_API_URL, kinds: mixSequence(count), ratePerSecond: RATE });
    return { orders, usage: new Map((await watch.stop()).map((usage) => [usage.name, usage])) };
  }

  /** Which of the traces Tempo has, looked up by id, 8 at a time. */
  async function tracesInTempo(traceIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const queue = [...traceIds];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let traceId = queue.shift(); traceId; traceId = queue.shift()) if (await tempo.getTrace(traceId)) found.add(traceId);
      }),
    );
    return found;
  }

  it('every order completes, order-api stays within its latency bound, memory stays bounded, and traces flow again once the gateway is back', async (t) => {
    // Freshly started services answer slower until their code is warm: not the baseline.
    const warmUp = await placeOrders({ orderApiUrl: ORDER_API_URL, kinds: mixSequence(WARM_UP_ORDERS), ratePerSecond: RATE });
    const baseline = await watchedBurst(BASELINE_ORDERS);
    await stopStackComponent('otelcol-gateway');
    const outage = await watchedBurst(OUTAGE_ORDERS);
    await startStack();
    const afterwards = await placeOrders({ orderApiUrl: ORDER_API_URL, kinds: mixSequence(AFTER_ORDERS), ratePerSecond: 10 });

    const all = [...warmUp, ...baseline.orders, ...outage.orders, ...afterwards];
    assert.deepEqual(all.filter((order) => order.status !== 202).map(({ status, error }) => `${status} ${error}`), [], 'every order accepted');
    const timelines = await followTimelines(all, { orderApiUrl: ORDER_API_URL, done: (order, timeline) => isComplete(order.kind, timeline), timeoutMs: 120_000 });
    const report = loadReport(all, timelines);
    const growth = SERVICE_NAMES.map((service) => ({ service, before: baseline.usage.get(service)?.maxRssMiB ?? 0, during: outage.usage.get(service)?.maxRssMiB ?? 0 }));
    t.diagnostic(`202 p99 before ${p99(baseline.orders)} ms, with the gateway down ${p99(outage.orders)} ms (bound ${latencyBound(p99(baseline.orders))} ms); peak RSS before → during, MiB: ${growth.map(({ service, before, during }) => `${service} ${before} → ${during}`).join(', ')}`);
    assert.equal(report.lost + report.incomplete, 0, 'every order reached its final state');
    assert.ok(p99(outage.orders) <= latencyBound(p99(baseline.orders)), `order-api's 202 p99 with the gateway down: ${p99(outage.orders)} ms`);
    assert.deepEqual(growth.filter(({ before, during }) => during - before > RSS_GROWTH_BOUND_MIB), [], `services whose peak RSS grew by more than ${RSS_GROWTH_BOUND_MIB} MiB`);

    // Traces flow again: each order placed after the gateway's return is in Tempo (the
    // sampler keeps them all by default). A trace may take a few seconds to be searchable.
    const wanted = afterwards.map((order) => order.traceId ?? '');
    let missing = wanted;
    for (const deadline = Date.now() + 60_000; missing.length > 0 && Date.now() < deadline; ) {
      const found = await tracesInTempo(missing);
      missing = missing.filter((traceId) => !found.has(traceId));
      if (missing.length > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    assert.deepEqual(missing, [], 'traces of orders placed after the gateway came back, not in Tempo');
    const outageTraces = await tracesInTempo(outage.orders.map((order) => order.traceId ?? ''));
    t.diagnostic(`orders placed with the gateway down whose order trace reached Tempo anyway (exporter retries): ${outageTraces.size} of ${outage.orders.length}`);
  });
});
