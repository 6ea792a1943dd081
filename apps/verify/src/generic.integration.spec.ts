import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanKind, trace, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_MESSAGING_DESTINATION_NAME, ATTR_MESSAGING_SYSTEM } from '@opentelemetry/semantic-conventions/incubating';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { JaegerClient, TempoClient, traceQlLinkingTo, waitForTrace } from '@mqtrace/trace-query';

// `verify --generic` on another system's traces, exported through the native stack's
// collectors like any service's: no order ids, none of our span names. A checkout
// service fans a record out to a mailer that starts a trace of its own and links back
// (found only by searching Tempo for spans linking in), and a billing service whose
// records break the chain both ways.
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

function runVerify(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...process.execArgv.filter((arg) => !arg.startsWith('--test')), main, ...args], { env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 }, (error, stdout) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout });
    });
  });
}

const messaging = (topic: string) => ({ [ATTR_MESSAGING_SYSTEM]: 'kafka', [ATTR_MESSAGING_DESTINATION_NAME]: topic });

/** The foreign system's four traces, by role. */
interface ForeignTraces {
  /** checkout: SERVER root and its PRODUCER `send emails`. */
  readonly checkout: string;
  /** mailer: CONSUMER root `process emails` linking to the checkout PRODUCER. */
  readonly mailer: string;
  /** billing: PRODUCER `send invoices` that nobody consumed. */
  readonly unconsumed: string;
  /** billing: CONSUMER root `process invoices` with no parent and no link. */
  readonly orphan: string;
}

async function exportForeignSystem(otlpEndpoint: string): Promise<ForeignTraces> {
  const providers: TracerProvider[] = [];
  const tracerOf = (service: string): Tracer => {
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
      spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces` }) })],
    });
    providers.push(provider);
    return provider.getTracer('generic-verify-test');
  };
  const shop = tracerOf('shop-checkout');
  const mailer = tracerOf('shop-mailer');
  const billing = tracerOf('shop-billing');
  const ended = (span: Span) => (span.end(), span);

  const request = shop.startSpan('POST /checkout', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  const send = ended(shop.startSpan('send emails', { kind: SpanKind.PRODUCER, attributes: messaging('emails') }, trace.setSpan(ROOT_CONTEXT, request)));
  request.end();
  const received = ended(mailer.startSpan('process emails', { kind: SpanKind.CONSUMER, attributes: messaging('emails'), links: [{ context: send.spanContext() }] }, ROOT_CONTEXT));
  const invoice = ended(billing.startSpan('send invoices', { kind: SpanKind.PRODUCER, attributes: messaging('invoices') }, ROOT_CONTEXT));
  const orphan = ended(billing.startSpan('process invoices', { kind: SpanKind.CONSUMER, attributes: messaging('invoices') }, ROOT_CONTEXT));
  await Promise.all(providers.map((provider) => provider.shutdown()));
  return { checkout: send.spanContext().traceId, mailer: received.spanContext().traceId, unconsumed: invoice.spanContext().traceId, orphan: orphan.spanContext().traceId };
}

describe('npm run verify -- --generic, on another system', () => {
  const { otlpEndpoint, tempoUrl, jaegerUrl } = stackEndpoints();
  let traces: ForeignTraces;

  before(async () => {
    await assertStackReachable(['collector', 'tempo', 'jaeger']);
    traces = await exportForeignSystem(otlpEndpoint);
    // Every trace readable by id in both backends before a check that must fail is run.
    for (const store of [new TempoClient(tempoUrl), new JaegerClient(jaegerUrl)]) {
      for (const traceId of Object.values(traces)) assert.ok(await waitForTrace(store, traceId, { timeoutMs: 60_000 }), `${traceId} in ${store.name}`);
    }
    // And Tempo's search has indexed the link: verify is tested on finding it, not on
    // Tempo's pace.
    const tempo = new TempoClient(tempoUrl);
    const linkQuery = traceQlLinkingTo(traces.checkout);
    for (const deadline = Date.now() + 90_000; !(await tempo.searchTraceIds(linkQuery, { sinceSeconds: 86_400 })).includes(traces.mailer); ) {
      assert.ok(Date.now() < deadline, `Tempo's search never found ${traces.mailer} by ${linkQuery}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  it('passes a fan-out by links from the producer\'s trace: the consumer trace is found by the spans linking in', async () => {
    const { code, stdout } = await runVerify(['--generic', traces.checkout, '--wait', '30']);
    assert.equal(code, 0, stdout);
    const [tempoSection, jaegerSection] = stdout.split(/^jaeger$/m);
    for (const [backend, section = ''] of [['tempo', tempoSection], ['jaeger', jaegerSection]] as const) {
      assert.match(section, /✔ every PRODUCER span has a CONSUMER\s+1 PRODUCER span\(s\), each consumed/, backend);
      assert.match(section, /✔ every span link points at a span that exists\s+1 link\(s\), all found/, backend);
    }
    assert.match(stdout, /process emails/);
    assert.ok(!stdout.includes('\u001b['), 'NO_COLOR: not one escape code, the waterfall headers included');
  });

  it('names a PRODUCER span nobody consumed, and exits 1', async () => {
    const { code, stdout } = await runVerify(['--generic', traces.unconsumed, '--wait', '0']);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /✘ every PRODUCER span has a CONSUMER\s+PRODUCER `send invoices` in shop-billing has no CONSUMER span/);
  });

  it('names a CONSUMER span that is an orphan root, and exits 1', async () => {
    const { code, stdout } = await runVerify(['--generic', traces.orphan, '--wait', '0']);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /✘ every CONSUMER span continues the trace of its record\s+CONSUMER `process invoices` in shop-billing is a root: the record carried no trace context/);
  });

  it('works from Jaeger alone, following the consumer trace\'s link back to its producer', async () => {
    const { code, stdout } = await runVerify(['--generic', '--no-tempo', traces.mailer, '--wait', '0']);
    assert.equal(code, 0, stdout);
    assert.doesNotMatch(stdout, /\ntempo/);
    assert.match(stdout, /send emails/);
  });
});
