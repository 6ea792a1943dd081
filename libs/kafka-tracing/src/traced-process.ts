import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context, type Link, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR_DELIVERY_ATTEMPT } from './custom-attributes.js';
import { headerGetter } from './header-carrier.js';
import { consumerAttributes, processSpanName } from './messaging-attributes.js';
import type { IncomingRecord } from './record.js';
import { runInSpan } from './span-helpers.js';
import { libraryTracer } from './tracer.js';
import { DEFAULT_TRACING_OPTIONS, type KafkaTracingOptions } from './tracing-options.js';

/** Options of {@link processTraced}. */
export interface ProcessOptions {
  /** Consumer group, recorded as `messaging.consumer.group.name`. */
  readonly consumerGroup?: string;
  /** Extra attributes for the CONSUMER span, e.g. taken from the payload. */
  readonly attributes?: Attributes;
  /** 1-based delivery attempt, when the caller retries. */
  readonly attempt?: number;
  readonly tracing?: KafkaTracingOptions;
  readonly tracer?: Tracer;
}

/**
 * Runs a handler for one record inside its own CONSUMER span (`process <topic>`).
 *
 * The trace context is extracted from THIS record's headers, on top of an empty
 * context, and activated before the handler's first line; whatever was active around
 * the call (a poll loop, a batch) never becomes the parent. `context.with` is the
 * attach/detach pair: the previous context is back when it returns or throws. A failed
 * handler marks the span (exception, ERROR, `error.type`) and the error is rethrown;
 * the span ends in every case. A missing or malformed `traceparent` gives a new root.
 */
export async function processTraced<T>(
  record: IncomingRecord,
  handler: (span: Span) => T | Promise<T>,
  { consumerGroup, attributes, attempt, tracing = DEFAULT_TRACING_OPTIONS, tracer = libraryTracer() }: ProcessOptions = {},
): Promise<T> {
  const surrounding = trace.getSpanContext(context.active());
  const extracted = tracing.propagation === 'w3c' ? propagation.extract(ROOT_CONTEXT, record.headers, headerGetter) : ROOT_CONTEXT;
  const producer = trace.getSpanContext(extracted);

  let parent: Context;
  const links: Link[] = [];
  if (tracing.consumerParent === 'parent') {
    parent = extracted;
    // The surrounding span (e.g. a batch receive) is related, but not the cause.
    if (surrounding && isSpanContextValid(surrounding)) links.push({ context: surrounding });
  } else {
    // New trace; keep the baggage that came with the record, link to its producer.
    parent = trace.deleteSpan(extracted);
    if (producer && isSpanContextValid(producer)) links.push({ context: producer });
  }

  const span = tracer.startSpan(
    processSpanName(record.topic),
    {
      kind: SpanKind.CONSUMER,
      attributes: { ...consumerAttributes(record, consumerGroup), ...(attempt ? { [ATTR_DELIVERY_ATTEMPT]: attempt } : {}), ...attributes },
      links,
    },
    parent,
  );
  return runInSpan(span, parent, handler);
}

/**
 * Processes a batch one record at a time, each in its own span with the context of its
 * own headers: never one context for the whole batch. `onProcessed` runs after each
 * successful record (to resolve its offset); the first failure stops the batch and is
 * rethrown, so the records after it are delivered again.
 */
export async function processBatchTraced(
  records: readonly IncomingRecord[],
  handler: (record: IncomingRecord, span: Span) => unknown,
  options: ProcessOptions & { readonly onProcessed?: (record: IncomingRecord) => void | Promise<void> } = {},
): Promise<void> {
  for (const record of records) {
    await processTraced(record, (span) => handler(record, span), options);
    await options.onProcessed?.(record);
  }
}
