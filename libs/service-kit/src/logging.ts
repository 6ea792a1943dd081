import type { DynamicModule } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, Level } from 'pino';

/** Request parts never written to a log: credentials and session cookies. */
export const REDACTED_LOG_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'] as const;

/** Requests not logged: probes would drown everything else. */
const UNLOGGED_PATHS = ['/health/live', '/health/ready'];

/**
 * The active span's ids as log fields, `trace_id` and `span_id` (the OpenTelemetry log
 * data model's names), so a log line leads to its trace; none outside a span.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const active = trace.getActiveSpan()?.spanContext();
  return active && isSpanContextValid(active) ? { trace_id: active.traceId, span_id: active.spanId } : {};
}

/** Options of {@link serviceLoggerModule}. */
export interface ServiceLoggerOptions {
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly level: Level;
  /** Where lines go; default standard output. Tests pass a stream. */
  readonly destination?: DestinationStream;
}

/**
 * `nestjs-pino` set up the same way in every service: one JSON object per line, with
 * `service`, `version`, `trace_id` and `span_id` on every line (through a mixin, so it
 * holds for any logger call inside a span, HTTP or Kafka), credentials redacted, health
 * probes not logged. Use it with `app.useLogger(app.get(Logger))` so Nest's own lines
 * are JSON too.
 */
export function serviceLoggerModule({ serviceName, serviceVersion, level, destination }: ServiceLoggerOptions): DynamicModule {
  const options = {
    level,
    base: { service: serviceName, version: serviceVersion },
    mixin: traceLogFields,
    redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' },
    autoLogging: { ignore: (request: { url?: string }) => UNLOGGED_PATHS.includes((request.url ?? '').split('?')[0] ?? '') },
  };
  return LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options });
}
