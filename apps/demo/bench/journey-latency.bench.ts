/**
 * How long after its `202` a normal (approved) order's journey is complete in Tempo:
 * every check of the trace model holds and every step reached the order's timeline, as
 * the demo measures it. Places `--orders` orders `--spacing` ms apart, watches each until
 * complete, then prints the median, the 90th percentile and the worst. The figure is the
 * sum of the services' span batching, the sampler's decision wait and Tempo's move of an
 * idle trace into its searchable block; docs/configuration.md lists the knobs.
 * Run with `npm run bench:journey [-- --orders 20]` (it starts the system if needed).
 */
import { Command } from 'commander';
import { stackEndpoints } from '@mqtrace/config';
import { TempoClient } from '@mqtrace/trace-query';
import { observe, placeOrder, type PlacedOrder } from '../src/round.js';
import { SAMPLE_ORDERS } from '../src/sample-orders.js';

const options = new Command('bench:journey')
  .description("Measures 202 → journey complete in Tempo for normal orders and prints median, p90 and worst.")
  .option('--orders <count>', 'orders to place', (value) => Number(value), 20)
  .option('--spacing <ms>', 'pause between two orders', (value) => Number(value), 250)
  .option('--timeout <seconds>', 'longest wait for the last journey', (value) => Number(value), 60)
  .option('--order-api <url>', 'order-api base URL', `http://127.0.0.1:${process.env['ORDER_API_PORT'] ?? '3000'}`)
  .parse()
  .opts<{ orders: number; spacing: number; timeout: number; orderApi: string }>();

const approved = SAMPLE_ORDERS.find((sample) => sample.path === 'approved');
if (!approved) throw new Error('no approved sample order');
const tempo = new TempoClient(stackEndpoints().tempoUrl);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Placing and watching overlap, as in a live system: each order is polled from its 202 on.
const orders: PlacedOrder[] = [];
const watching: Promise<void>[] = [];
const watch = async (order: PlacedOrder, deadline: number) => {
  while (order.completeAfterMs === undefined && Date.now() < deadline) {
    await observe(tempo, order).catch(() => undefined);
    await pause(100);
  }
};
for (let i = 0; i < options.orders; i++) {
  const order = await placeOrder(options.orderApi, approved);
  orders.push(order);
  watching.push(watch(order, Date.now() + options.timeout * 1000));
  await pause(options.spacing);
}
await Promise.all(watching);

const times = orders.flatMap((order) => (order.completeAfterMs === undefined ? [] : [order.completeAfterMs])).sort((a, b) => a - b);
const at = (share: number) => times[Math.min(times.length - 1, Math.ceil(share * times.length) - 1)];
console.log(`202 → journey complete in Tempo, ${times.length}/${orders.length} normal orders complete within ${options.timeout} s`);
if (times.length > 0) console.log(`  median ${at(0.5)} ms   p90 ${at(0.9)} ms   worst ${times.at(-1)} ms   best ${times[0]} ms`);
process.exitCode = times.length === orders.length ? 0 : 1;
