// Pattern: switches, naive mode included. How consumer and fan-out spans relate, whether
// context propagates at all, and which attribute names are emitted; all from the environment.
/**
 * How a consumer span relates to the producer span found in the record's headers.
 * - `parent`: the consumer span is the producer span's child, so producer and consumer
 *   share one trace and the queue wait shows as a gap (what the articles teach).
 * - `link`: the consumer span starts a new trace with a link to the producer span (what
 *   the current messaging semantic conventions recommend for long-lived or batched flows).
 */
export type ConsumerParentMode = 'parent' | 'link';

/**
 * How a fan-out PRODUCER span relates to the span that is active when it is sent.
 * - `link`: a new trace, linked to the active span (one short trace per branch).
 * - `child`: a child of the active span (the whole journey is one trace).
 */
export type FanoutMode = 'link' | 'child';

/**
 * `w3c` injects and extracts W3C trace context (and baggage) through the configured
 * propagator. `naive` leaves propagation out, the way an unwired system does: every
 * consumer span becomes an orphan root. For workshops and negative tests only.
 */
export type PropagationMode = 'w3c' | 'naive';

/**
 * Which messaging attribute names to emit. `current`: the names of the installed
 * semantic conventions. `dup`: those plus the deprecated names they replaced
 * (`messaging.system`, `messaging.kafka.offset`, ...), for dashboards still querying them.
 * Set by the standard `OTEL_SEMCONV_STABILITY_OPT_IN=messaging/dup`.
 */
export type MessagingSemconv = 'current' | 'dup';

/** Switches of the library; all have defaults and an environment variable. */
export interface KafkaTracingOptions {
  /** `TRACE_CONSUMER_PARENT`, default `parent`. */
  readonly consumerParent: ConsumerParentMode;
  /** `TRACE_FANOUT`, default `link`. */
  readonly fanout: FanoutMode;
  /** `TRACE_PROPAGATION`, default `w3c`. */
  readonly propagation: PropagationMode;
  /** `OTEL_SEMCONV_STABILITY_OPT_IN` containing `messaging/dup`, default `current`. */
  readonly semconv: MessagingSemconv;
}

/** The defaults: parent-child consumers, linked fan-out, real propagation, current names. */
export const DEFAULT_TRACING_OPTIONS: KafkaTracingOptions = { consumerParent: 'parent', fanout: 'link', propagation: 'w3c', semconv: 'current' };

/** Reads the switches from the environment; throws {@link TracingOptionsError} on an unknown value. */
export function tracingOptionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): KafkaTracingOptions {
  return {
    consumerParent: choice(env, 'TRACE_CONSUMER_PARENT', ['parent', 'link'], DEFAULT_TRACING_OPTIONS.consumerParent),
    fanout: choice(env, 'TRACE_FANOUT', ['link', 'child'], DEFAULT_TRACING_OPTIONS.fanout),
    propagation: choice(env, 'TRACE_PROPAGATION', ['w3c', 'naive'], DEFAULT_TRACING_OPTIONS.propagation),
    semconv: stabilityOptIn(env).includes('messaging/dup') ? 'dup' : 'current',
  };
}

/** The comma-separated opt-in list shared by all OpenTelemetry instrumentations. */
function stabilityOptIn(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env['OTEL_SEMCONV_STABILITY_OPT_IN'] ?? '').split(',').map((entry) => entry.trim());
}

function choice<T extends string>(env: Readonly<Record<string, string | undefined>>, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new TracingOptionsError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
}

/** A tracing switch in the environment has a value the library does not know. */
export class TracingOptionsError extends Error {
  override readonly name = 'TracingOptionsError';
}
