// A service in miniature, run by shutdown-order.integration.spec.ts as
// `node --import @mqtrace/telemetry/register finish-then-flush.ts`. It holds one message
// when SIGTERM arrives and shuts down in the order a service must: stop taking work,
// finish the message in hand, commit, flush the spans, exit. It prints the message's
// trace id (`trace-id <hex>`) once it is ready for the signal.
import { setTimeout as delay } from 'node:timers/promises';
import { context, trace } from '@opentelemetry/api';
import { shutdownTelemetry } from '../index.js';

const tracer = trace.getTracer('shutdown-order-fixture');
const message = tracer.startSpan('process message');
tracer.startSpan('receive message', {}, trace.setSpan(context.active(), message)).end();

// Exits non-zero if the test never sends the signal; it also holds the event loop open.
const unattended = setTimeout(() => {
  console.error('no SIGTERM within 60 s');
  process.exit(2);
}, 60_000);

process.once('SIGTERM', async () => {
  clearTimeout(unattended);
  // The rest of the handler's work: the span can only end after the signal.
  await delay(50);
  message.end();
  tracer.startSpan('commit offset', {}, trace.setSpan(context.active(), message)).end();
  await shutdownTelemetry();
  console.log('flushed');
  // As a service does once closed: no beforeExit, so only the explicit flush delivers.
  process.exit(0);
});

console.log(`trace-id ${message.spanContext().traceId}`);
