import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** The service name every test trace carries. */
export const TEST_SERVICE = 'infra-smoke-test';

/** What was exported, to look for in the backends. */
export interface TestTrace {
  readonly traceId: string;
  readonly parentSpanId: string;
  /** A random value on the parent span's `test.marker` attribute. */
  readonly marker: string;
}

/**
 * Exports a two-span trace with the Node SDK over OTLP/HTTP: `smoke parent` (SERVER) and
 * its child `smoke child` (PRODUCER, status ERROR), then flushes and shuts the SDK down.
 */
export async function exportTestTrace(otlpEndpoint: string): Promise<TestTrace> {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: TEST_SERVICE }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces` }) })],
  });
  const tracer = provider.getTracer(TEST_SERVICE);
  const marker = randomBytes(8).toString('hex');
  const parent = tracer.startSpan('smoke parent', { kind: SpanKind.SERVER, attributes: { 'test.marker': marker } }, ROOT_CONTEXT);
  const child = tracer.startSpan('smoke child', { kind: SpanKind.PRODUCER }, trace.setSpan(ROOT_CONTEXT, parent));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'expected' });
  child.end();
  parent.end();
  await provider.shutdown();
  return { traceId: parent.spanContext().traceId, parentSpanId: parent.spanContext().spanId, marker };
}
