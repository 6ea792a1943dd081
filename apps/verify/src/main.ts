// npm run verify -- <orderId|traceId>: is this order's journey connected across the
// queues? Reads Tempo and Jaeger, prints a waterfall per trace and a checklist, and
// exits 0 only when every expected edge holds.
import { Command, InvalidArgumentError, Option } from 'commander';
import { NATIVE_STACK_DEFAULTS } from '@mqtrace/config';
import { renderReport } from './render.js';
import { toJson } from './json.js';
import { EXIT_CODES, UsageError, verify } from './verify.js';

const seconds = (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 600) throw new InvalidArgumentError('a number of seconds between 0 and 600');
  return parsed;
};

const program = new Command('verify')
  .description(
    "Checks that an order's journey is connected across Kafka: finds every trace of it (Tempo's TraceQL search by order.id, then span links),\n" +
      'prints a waterfall per trace (queue gaps, partitions and offsets, links both ways) and a checklist of the expected edges.',
  )
  .argument('<id>', 'an order id (UUID, from POST /orders) or a trace id (32 hex digits, e.g. the x-trace-id header)')
  .addOption(new Option('--tempo <url>', 'Tempo HTTP API').env('TEMPO_URL').default(NATIVE_STACK_DEFAULTS.TEMPO_URL))
  .addOption(new Option('--jaeger <url>', 'Jaeger query API').env('JAEGER_URL').default(NATIVE_STACK_DEFAULTS.JAEGER_URL))
  .option('--no-tempo', 'do not use Tempo (then give a trace id)')
  .option('--no-jaeger', 'do not use Jaeger')
  .option('--generic', "check any system, not ours: orphan CONSUMER roots, PRODUCER spans nobody consumed, links that point nowhere", false)
  .addOption(new Option('--fanout <mode>', 'expected fan-out (default: as the spans show it)').choices(['link', 'child']))
  .option('--wait <seconds>', 'how long to wait for late spans before reporting', seconds, 20)
  .option('--json', 'print the report as JSON (for machines)', false)
  .option('--no-waterfall', 'print only the checklist')
  .addHelpText(
    'after',
    `
Exit status: 0 every edge holds, 1 an edge is broken, 2 usage error, 3 a backend is unreachable, 4 not found.

Examples:
  npm run verify -- 3f0c1a52-1d4b-4c3e-9a57-2a3c1b4e5f60          an order placed with POST /orders
  npm run verify -- 8e6ea78846e6811c63cfff56343d4822              the trace id from the x-trace-id header
  npm run verify -- --generic --no-jaeger --tempo http://tempo:3200 <traceId>   any system's trace`,
  )
  .showHelpAfterError('(run with --help for usage)');

program.parse();
const options = program.opts<{ tempo: string | false; jaeger: string | false; generic: boolean; fanout?: 'link' | 'child'; wait: number; json: boolean; waterfall: boolean }>();
const [id = ''] = program.args;

try {
  const report = await verify({
    id,
    ...(options.tempo ? { tempoUrl: options.tempo } : {}),
    ...(options.jaeger ? { jaegerUrl: options.jaeger } : {}),
    generic: options.generic,
    ...(options.fanout ? { fanout: options.fanout } : {}),
    timeoutMs: options.wait * 1000,
  });
  process.stdout.write(options.json ? `${JSON.stringify(toJson(report), null, 2)}\n` : renderReport(report, { waterfall: options.waterfall }));
  process.exitCode = EXIT_CODES[report.outcome];
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  program.error(`error: ${error.message}`, { exitCode: EXIT_CODES.usage });
}
