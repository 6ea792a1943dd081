/**
 * Test support: a real SDK tracer provider that keeps finished spans in memory, with
 * the W3C propagators and the AsyncLocalStorage context manager installed globally, as
 * a service has them. For unit tests of the library only; end-to-end tests use the
 * real collector and backends.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';

/** Handle on the installed in-memory tracing. */
export interface InMemoryTracing {
  readonly exporter: InMemorySpanExporter;
  /** Finished spans so far, in end order. */
  spans(): ReadableSpan[];
  /** Finished spans with this name. */
  named(name: string): ReadableSpan[];
  reset(): void;
  /** Flushes every processor (the OTLP ones included). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Installs global tracing that records into memory; call `shutdown` in `after`.
 * `alsoTo` adds processors, e.g. an OTLP exporter so an integration test can also check
 * the real backends.
 */
export function installInMemoryTracing({ alsoTo = [] }: { alsoTo?: SpanProcessor[] } = {}): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter }), ...alsoTo] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    named: (name) => exporter.getFinishedSpans().filter((span) => span.name === name),
    reset: () => exporter.reset(),
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
