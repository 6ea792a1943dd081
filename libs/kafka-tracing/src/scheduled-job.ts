// Pattern: scheduled jobs. A job run is a root span linked to the trace context stored
// with each item it handles, since a job serves many traces and has no single parent.
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context, type Link, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR_JOB_ITEMS, ATTR_JOB_LINKS_DROPPED, ATTR_JOB_NAME, ATTR_JOB_TRIGGER } from './custom-attributes.js';
import { runInSpan } from './span-helpers.js';
import { libraryTracer } from './tracer.js';

/** Trace context in storable form: the propagation fields (`traceparent`, ...), JSON-safe. */
export type StoredTraceContext = Readonly<Record<string, string>>;

/** Default cap on links per job span: back-ends and exporters limit links per span. */
export const DEFAULT_MAX_JOB_LINKS = 128;

/**
 * Captures the active trace context (or the given one) for storage next to a work item,
 * so the job that handles the item later can link back to the trace that enqueued it.
 */
export function captureTraceContext(from: Context = context.active()): StoredTraceContext {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** Options of {@link runLinkedJob}. */
export interface JobRunOptions {
  /** Job name, used as the span name and `mqtrace.job.name`. */
  readonly jobName: string;
  /** Default `scheduler`. */
  readonly trigger?: 'scheduler' | 'manual';
  /** Default {@link DEFAULT_MAX_JOB_LINKS}. */
  readonly maxLinks?: number;
  readonly attributes?: Attributes;
  readonly tracer?: Tracer;
}

/**
 * Runs one job execution as a root INTERNAL span with one link per stored context of
 * the items it handles (a job has no single parent: it serves many traces). Contexts
 * that are unreadable or over the cap are not linked and counted in
 * `mqtrace.job.links_dropped`.
 */
export async function runLinkedJob<T>(
  items: readonly StoredTraceContext[],
  job: (span: Span) => T | Promise<T>,
  { jobName, trigger = 'scheduler', maxLinks = DEFAULT_MAX_JOB_LINKS, attributes, tracer = libraryTracer() }: JobRunOptions,
): Promise<T> {
  const links: Link[] = [];
  for (const item of items) {
    if (links.length >= maxLinks) break;
    const linked = item && typeof item === 'object' ? trace.getSpanContext(propagation.extract(ROOT_CONTEXT, item)) : undefined;
    if (linked && isSpanContextValid(linked)) links.push({ context: linked });
  }
  const span = tracer.startSpan(
    jobName,
    {
      kind: SpanKind.INTERNAL,
      root: true,
      links,
      attributes: {
        [ATTR_JOB_TRIGGER]: trigger,
        [ATTR_JOB_NAME]: jobName,
        [ATTR_JOB_ITEMS]: items.length,
        [ATTR_JOB_LINKS_DROPPED]: items.length - links.length,
        ...attributes,
      },
    },
    ROOT_CONTEXT,
  );
  return runInSpan(span, ROOT_CONTEXT, job);
}
