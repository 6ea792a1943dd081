/**
 * The global OpenTelemetry setup the benchmarks run under, as a service has it (see
 * libs/telemetry): an SDK tracer provider, the AsyncLocalStorage context manager, and the
 * W3C trace context + baggage propagator. One place, so both benchmarks measure the
 * library under the same setup.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { TracerProvider } from '@opentelemetry/sdk-trace';

/** Makes `provider` the global tracer provider, with the context manager and propagators of a service. */
export function installGlobalTracing(provider: TracerProvider): void {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
}
