import { context, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ERROR_TYPE_VALUE_OTHER } from '@opentelemetry/semantic-conventions';

/** The low-cardinality type of an error, for `error.type`: its class name. */
export function errorType(error: unknown): string {
  if (error instanceof Error) return error.constructor.name || error.name || ERROR_TYPE_VALUE_OTHER;
  return ERROR_TYPE_VALUE_OTHER;
}

/** Marks a span as failed: exception event, status ERROR with the message, `error.type`. */
export function recordSpanError(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
  span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
}

/**
 * Runs `work` with `span` active on top of `parent`, and always ends the span: a failure
 * is recorded on it and rethrown. `context.with` is the attach/detach pair, so the
 * previous context is back when this returns or throws.
 */
export async function runInSpan<T>(span: Span, parent: Context, work: (span: Span) => T | Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    recordSpanError(span, error);
    throw error;
  } finally {
    span.end();
  }
}
