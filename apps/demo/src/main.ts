// npm run demo: one round of sample orders covering every path, each journey timed from
// its 202 to complete in Tempo and checked with `npm run verify`. infra/scripts/demo.sh
// brings the stack and the services up first and stops what it started afterwards.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import pc from 'picocolors';
import { stackEndpoints } from '@mqtrace/config';
import { journeyPageSettings, journeyPageStartProblem, serveJourneyPage, type RunningJourneyPage } from '@mqtrace/journey-page';
import { TempoClient } from '@mqtrace/trace-query';
import { observe, placeOrder, type PlacedOrder } from './round.js';
import { SAMPLE_ORDERS } from './sample-orders.js';

const VERIFY = fileURLToPath(new URL('../../verify/src/main.ts', import.meta.url));
const options = new Command('demo')
  .description('Places one order on every path, waits for each journey and a reconciliation run, and checks each with verify.')
  .option('--once', 'exit after one round: status 0 only if every journey checks out', false)
  .option('--order-api <url>', 'order-api base URL', `http://127.0.0.1:${process.env['ORDER_API_PORT'] ?? '3000'}`)
  .option('--timeout <seconds>', 'longest wait for the journeys and the reconciliation run', (value) => Number(value), 60)
  .parse()
  .opts<{ once: boolean; orderApi: string; timeout: number }>();

const { tempoUrl } = stackEndpoints();
const tempo = new TempoClient(tempoUrl);
const tty = process.stdout.isTTY;

// While the demo keeps running, it serves the journey page, open before the orders arrive.
const page = options.once ? undefined : await startJourneyPage();
if (page) console.log(`${pc.bold('The journey page')}: ${page.url}/journeys (each order's page fills in as its spans arrive)`);

console.log(pc.bold(`Placing ${SAMPLE_ORDERS.length} orders, one per path, at ${options.orderApi}`));
const orders: PlacedOrder[] = [];
for (const sample of SAMPLE_ORDERS) orders.push(await placeOrder(options.orderApi, sample));

// Progress: one line per order until every journey is complete and reconciled where due.
const deadline = Date.now() + options.timeout * 1000;
const done = (order: PlacedOrder) => order.completeAfterMs !== undefined && (!order.sample.reconciled || order.reconciled === true);
const progressLine = (order: PlacedOrder) =>
  `  ${order.completeAfterMs === undefined ? pc.yellow('…') : pc.green('✔')} ${order.sample.path.padEnd(42)} ${order.orderId}  ${
    order.completeAfterMs === undefined ? 'waiting for its journey' : `complete ${order.completeAfterMs} ms after its 202`
  }${order.sample.reconciled ? (order.reconciled ? ', reconciled' : ', waiting for a reconciliation run') : ''}`;
let printed = 0;
while (!orders.every(done) && Date.now() < deadline) {
  await Promise.all(orders.filter((order) => !done(order)).map((order) => observe(tempo, order).catch(() => undefined)));
  if (tty) {
    if (printed) process.stdout.write(`\x1b[${printed}A`);
    process.stdout.write(orders.map((order) => `\x1b[2K${progressLine(order)}\n`).join(''));
    printed = orders.length;
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
if (!tty) console.log(orders.map(progressLine).join('\n'));

// Each journey as verify shows it.
let failed = 0;
for (const order of orders) {
  console.log(`\n${pc.bold(pc.inverse(` ${order.sample.path} `))}  order ${order.orderId}`);
  // A journey the round saw complete gets a little time for Jaeger to catch up; one that
  // did not complete has had the whole round already, so verify reports it at once.
  const verified = await runVerify([order.orderId, '--wait', order.completeAfterMs === undefined ? '0' : '10']);
  process.stdout.write(verified.output);
  if (verified.code !== 0) failed += 1;
}

// Normal orders apart: the retry paths wait out their back-off delays by design.
const figures = (group: readonly PlacedOrder[]) => {
  const times = group.flatMap((order) => (order.completeAfterMs === undefined ? [] : [order.completeAfterMs])).sort((a, b) => a - b);
  return `${times.length}/${group.length} complete; median ${times.length ? times[Math.floor((times.length - 1) / 2)] : '-'} ms, worst ${times.at(-1) ?? '-'} ms`;
};
const complete = orders.filter((order) => order.completeAfterMs !== undefined).length;
console.log(`\n${pc.bold('202 → journey complete in Tempo')}: normal orders ${figures(orders.filter((order) => !order.sample.retries))}`);
console.log(`${' '.repeat('202 → journey complete in Tempo: '.length)}with retries  ${figures(orders.filter((order) => order.sample.retries))}`);
console.log(`${failed === 0 && complete === orders.length ? pc.green('✔ every journey checks out') : pc.red(`✘ ${failed} journey(s) broken, ${orders.length - complete} incomplete`)}`);
const [first] = orders;
if (first) {
  console.log(`
Where to look next:
  the order's timeline   curl -s ${options.orderApi}/orders/${first.orderId}
  its journey            npm run verify -- ${first.orderId}${page ? `
  its journey page       ${page.url}/journeys/${first.orderId}` : ''}
  its traces in Tempo    { span.order.id = "${first.orderId}" }   (${tempoUrl}/api/search?q=...)`);
}

if (options.once) {
  process.exitCode = failed === 0 && complete === orders.length ? 0 : 1;
} else {
  console.log(pc.dim('\nThe system keeps running: place orders, run verify. Ctrl-C stops what the demo started.'));
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await page?.close();
}

/** The journey page on JOURNEY_PAGE_PORT; the demo goes on without it when it cannot start. */
async function startJourneyPage(): Promise<RunningJourneyPage | undefined> {
  try {
    return await serveJourneyPage(journeyPageSettings());
  } catch (error) {
    const problem = journeyPageStartProblem(error);
    if (!problem) throw error;
    console.error(pc.yellow(`The journey page is not served: ${problem}`));
    return undefined;
  }
}

function runVerify(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...process.execArgv, VERIFY, ...args], { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...(tty ? { FORCE_COLOR: '1' } : {}) } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}
