import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';

/**
 * Auto-instrumentations switched off for the services, and why. Everything else in
 * `@opentelemetry/auto-instrumentations-node` (HTTP, Express, NestJS, pino, ...) stays on.
 */
export const DISABLED_INSTRUMENTATIONS = {
  // @mqtrace/kafka-tracing creates the messaging spans and owns the trace headers; the
  // kafkajs instrumentation would add a second send/process span per message and
  // overwrite the injected traceparent (docs/decisions/0003-kafkajs-instrumentation.md).
  '@opentelemetry/instrumentation-kafkajs': { enabled: false },
  // A span per file read, DNS lookup or socket buries the spans that tell the story.
  '@opentelemetry/instrumentation-fs': { enabled: false },
  '@opentelemetry/instrumentation-dns': { enabled: false },
  '@opentelemetry/instrumentation-net': { enabled: false },
} as const;

/** The instrumentations every service registers. */
export function serviceInstrumentations(): Instrumentation[] {
  return getNodeAutoInstrumentations(DISABLED_INSTRUMENTATIONS);
}
