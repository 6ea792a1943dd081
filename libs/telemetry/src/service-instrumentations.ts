import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { trustsInboundTraceparent, untrustedInboundHooks } from './inbound-trust.js';

/**
 * Auto-instrumentations switched off for the services, and why. Everything else in
 * `@opentelemetry/auto-instrumentations-node` (HTTP, Express, undici, ...) stays
 * on. `service-instrumentations.spec.ts` checks the result in a real NestJS 12 app.
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
  // Version 0.71 supports @nestjs/core >=4 <12, so on NestJS 12 it patches nothing and
  // records nothing. Switched off so that an upgrade which adds NestJS 12 support does
  // not silently add two spans per request; the spec turns it on and fails when it
  // starts recording, which is the moment to decide.
  '@opentelemetry/instrumentation-nestjs-core': { enabled: false },
  // Express 5 routes through the `router` package, which this instrumentation wraps as
  // well: every Express middleware span got a duplicate parent named
  // "middleware - patched". The Express instrumentation alone records the same layers
  // and is the one that puts the route on the HTTP SERVER span.
  '@opentelemetry/instrumentation-router': { enabled: false },
  // Log lines get trace_id and span_id from @mqtrace/service-kit's logger mixin. This
  // instrumentation would write the same fields a second time on every line and send
  // each line to an OTLP logs endpoint, for which the collector has no pipeline.
  '@opentelemetry/instrumentation-pino': { enabled: false },
} as const;

/**
 * The instrumentations every service registers. With `TRUST_INBOUND_TRACEPARENT=false`
 * an HTTP request's trace context is linked, not continued (see `untrustedInboundHooks`).
 */
export function serviceInstrumentations(env: Readonly<Record<string, string | undefined>> = process.env): Instrumentation[] {
  return getNodeAutoInstrumentations({
    ...DISABLED_INSTRUMENTATIONS,
    '@opentelemetry/instrumentation-http': {
      // Probes every few seconds would bury the requests that matter; they are not logged either.
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.includes((request.url ?? '').split('?')[0] ?? ''),
      ...(trustsInboundTraceparent(env) ? {} : untrustedInboundHooks()),
    },
    // No span per Express layer: they end before the handler knows the order id, so they
    // could not carry `order.id`, and add nothing to the story. The instrumentation still
    // names the SERVER span after the route (`POST /orders`), which is why it stays on.
    '@opentelemetry/instrumentation-express': { ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER, ExpressLayerType.REQUEST_HANDLER] },
  });
}

/** Requests never traced: liveness and readiness probes. */
export const UNTRACED_PATHS: readonly string[] = ['/health/live', '/health/ready'];
