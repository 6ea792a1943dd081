// npm run load: mixed orders at a steady rate through the five services, and the figures
// the README's reliability section quotes. infra/scripts/with-system.sh starts the stack
// and the services first when they are not running.
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import Table from 'cli-table3';
import pc from 'picocolors';
import { DEFAULT_MIX, parseMix, type OrderMix } from '@mqtrace/load';
import { isSustained, runRound, type RoundResult } from './round.js';

const positive = (value: string) => {
  const number = Number(value);
  if (!(number > 0)) throw new InvalidArgumentError('must be a positive number');
  return number;
};
const mixOption = (value: string) => {
  try {
    return parseMix(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

const options = new Command('load')
  .description('Places mixed orders at a steady rate through the five services and prints what happened to them: lost, duplicated, dead-lettered, the time from each 202 to "notification sent" (p50, p99), and each service\'s memory and CPU.')
  .option('--rate <orders-per-second>', 'the rate of one round', positive, 100)
  .option('--duration <seconds>', 'how long each round sends', positive, 60)
  .option('--mix <weights>', 'kinds of order and their weights', mixOption, DEFAULT_MIX)
  .option('--sweep <rates>', 'several rounds, e.g. 50,100,200: finds the highest rate whose p99 stays under --max-p99', (value) => value.split(',').map((one) => positive(one.trim())))
  .option('--max-p99 <ms>', 'the p99 (202 → notification sent) a sustained rate must stay under', positive, 1000)
  .option('--settle <seconds>', 'longest wait after the last order for the rest to finish', positive, 60)
  .option('--order-api <url>', 'order-api base URL', `http://127.0.0.1:${process.env['ORDER_API_PORT'] ?? '3000'}`)
  .option('--json', 'the figures as JSON', false)
  .option('--continuous', 'repeat rounds of --duration at --rate until stopped, one line per round (the steady traffic of docker compose)', false)
  .addHelpText('after', '\nExit status: 0 when no order was lost, 1 otherwise.\nExample: npm run load -- --rate 100 --duration 60; npm run load -- --sweep 100,200,400 --duration 20')
  .parse()
  .opts<{ rate: number; duration: number; mix: OrderMix; sweep?: number[]; maxP99: number; settle: number; orderApi: string; json: boolean; continuous: boolean }>();

if (options.continuous) {
  // Until SIGTERM (docker stop): each round is summed up in one line, and a round that
  // lost an order says so in red; the exit status of a stopped container means nothing.
  console.log(`Placing orders at ${options.rate}/s through ${options.orderApi} until stopped (rounds of ${options.duration} s)`);
  // In a container node is PID 1, which has no default handler for SIGTERM (docker stop).
  process.once('SIGTERM', () => process.exit(0));
  for (;;) {
    const { report, achievedRate } = await runRound({ orderApiUrl: options.orderApi, rate: options.rate, durationSeconds: options.duration, mix: options.mix, settleSeconds: options.settle });
    const line = `${new Date().toISOString()} ${report.sent} sent at ${achievedRate}/s, ${report.completed} completed, ${report.deadLettered} dead-lettered, ${report.lost} lost; 202 p50/p99 ${report.acceptMs.p50 ?? '-'}/${report.acceptMs.p99 ?? '-'} ms, 202 → notified p50/p99 ${report.notifiedMs.p50 ?? '-'}/${report.notifiedMs.p99 ?? '-'} ms`;
    console.log(report.lost === 0 ? line : pc.red(line));
  }
}

const rates = options.sweep ?? [options.rate];
const rounds: RoundResult[] = [];
for (const rate of rates) {
  if (!options.json) console.log(pc.bold(`${rate} orders/s for ${options.duration} s`));
  const result = await runRound({
    orderApiUrl: options.orderApi,
    rate,
    durationSeconds: options.duration,
    mix: options.mix,
    settleSeconds: options.settle,
    onProgress: (answered, total) => process.stdout.isTTY && !options.json && process.stdout.write(`\r  ${answered}/${total} answered`),
  });
  rounds.push(result);
  if (process.stdout.isTTY && !options.json) process.stdout.write('\r\x1b[2K');
}

const ms = (value: number | undefined) => (value === undefined ? '-' : `${value}`);
const sustained = rounds.filter((round) => isSustained(round, options.maxP99));
const highest = sustained.at(-1);
const firstOver = rounds.find((round) => !sustained.includes(round));
const busiest = (round: RoundResult | undefined) => [...(round?.usage ?? [])].sort((a, b) => b.cpuPercent - a.cpuPercent)[0];
// Where the system gave out: the first round over the bound, else the fastest one run.
const limit = firstOver ?? rounds.at(-1);

if (options.json) {
  console.log(JSON.stringify({ rounds, maxP99Ms: options.maxP99, highestSustainedRate: highest?.rate, saturates: busiest(limit)?.name }, null, 2));
} else {
  const figures = new Table({ head: ['rate /s', 'reached /s', 'sent', 'completed', 'lost', 'two outcomes', 'dead-lettered', 'rejected', '202 p50/p99 ms', '202 → notified p50/p99/max ms'].map((title) => pc.dim(title)), style: { head: [], border: [] } });
  for (const { rate, achievedRate, report } of rounds) {
    const rejected = Object.entries(report.rejected).map(([status, count]) => `${count}×${status}`).join(' ') || '0';
    figures.push([rate, achievedRate, report.sent, report.completed, report.lost === 0 ? pc.green('0') : pc.red(String(report.lost)), report.conflicting, report.deadLettered, rejected, `${ms(report.acceptMs.p50)} / ${ms(report.acceptMs.p99)}`, `${ms(report.notifiedMs.p50)} / ${ms(report.notifiedMs.p99)} / ${ms(report.notifiedMs.max)}`]);
  }
  console.log(figures.toString());
  const usage = new Table({ head: ['rate /s', ...(rounds[0]?.usage ?? []).map((one) => one.name)].map((title) => pc.dim(title)), style: { head: [], border: [] } });
  for (const round of rounds) usage.push([round.rate, ...round.usage.map((one) => `${one.cpuPercent} % CPU, ${one.maxRssMiB} MiB`)]);
  console.log(`${pc.bold('Per process while sending')} (CPU: % of one core; RSS: peak; this machine has ${availableParallelism()} cores)\n${usage.toString()}`);
  for (const round of rounds) console.log(`  ${round.rate} orders/s: all of them together ${Math.round(round.usage.reduce((sum, one) => sum + one.cpuPercent, 0))} % of one core`);
  if (rates.length > 1) {
    console.log(highest ? `Highest sustained rate: ${pc.bold(`${highest.rate} orders/s`)} (rate reached, all accepted, none lost, 202 and 202 → notified p99 ≤ ${options.maxP99} ms)` : pc.red(`No rate was sustained (p99 ≤ ${options.maxP99} ms)`));
    console.log(`Busiest process at ${limit?.rate} orders/s: ${busiest(limit)?.name ?? '-'} (${busiest(limit)?.cpuPercent ?? '-'} % of one core)`);
  }
}
process.exitCode = rounds.every((round) => round.report.lost === 0) ? 0 : 1;
