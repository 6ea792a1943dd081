// Internal: how every span of the library runs its work and is marked failed.
import { context, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ERROR_TYPE_VALUE_OTHER } from '@opentelemetry/semantic-conventions';

/**
 * The low-cardinality type of an error, for `error.type`: its class name, or the `name` of
 * an error-like object (frameworks pass errors on as plain objects), else `_OTHER`.
 */
export function errorType(error: unknown): string {
  if (error instanceof Error) return error.constructor.name || error.name || ERROR_TYPE_VALUE_OTHER;
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' && /^[\w.$-]{1,64}$/.test(name) ? name : ERROR_TYPE_VALUE_OTHER;
}

/** A readable message for anything thrown: never `[object Object]`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    try {
      return JSON.stringify(error) ?? String(error);
    } catch {
      return Object.prototype.toString.call(error);
    }
  }
  return String(error);
}

/** Marks a span as failed: exception event, status ERROR with the message, `error.type`. */
export function recordSpanError(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : Object.assign(new Error(errorMessage(error)), { name: errorType(error) });
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
