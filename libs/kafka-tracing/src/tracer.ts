// Internal: the tracer every span of the library starts from.
import { trace, type Tracer } from '@opentelemetry/api';

/** Instrumentation scope name of every span this library starts. */
export const INSTRUMENTATION_SCOPE = '@mqtrace/kafka-tracing';

/** The library's tracer from the global tracer provider (looked up per call: cheap, and
 * correct when a test or a service installs its provider after importing the library). */
export const libraryTracer = (): Tracer => trace.getTracer(INSTRUMENTATION_SCOPE);
