// Pattern: consuming. One CONSUMER span per record, the record's own trace context
// extracted and active before the handler's first line, detached when it ends.
import { isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context, type Link, type Span, type Tracer } from '@opentelemetry/api';
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
  /**
   * Business attributes for the CONSUMER span, e.g. `order.id` taken from the record.
   * They are also set on the retry and dead-letter PRODUCER spans of the record, so every
   * span of a journey carries them.
   */
  readonly attributes?: Attributes;
  /** 1-based delivery attempt, when the caller retries. */
  readonly attempt?: number;
  /** Library switches; default {@link DEFAULT_TRACING_OPTIONS}. */
  readonly tracing?: KafkaTracingOptions;
  /** Tracer to start spans with; default the library's tracer from the global provider. */
  readonly tracer?: Tracer;
}

/**
 * Runs a handler for one record inside its own CONSUMER span (`process <topic>`).
 *
 * The trace context is extracted from THIS record's headers, on top of an empty
 * context, and activated before the handler's first line; whatever was active around
 * the call (a poll loop, a batch, the context `consumer.run()` was called in) is
 * neither parent nor link: it is not what caused this record. `context.with` is the
 * attach/detach pair: the previous context is back when it returns or throws. A failed
 * handler marks the span (exception, ERROR, `error.type`) and the error is rethrown;
 * the span ends in every case. A missing or malformed `traceparent` gives a new root.
 */
export async function processTraced<T>(
  record: IncomingRecord,
  handler: (span: Span) => T | Promise<T>,
  { consumerGroup, attributes, attempt, tracing = DEFAULT_TRACING_OPTIONS, tracer = libraryTracer() }: ProcessOptions = {},
): Promise<T> {
  const extracted = tracing.propagation === 'w3c' ? propagation.extract(ROOT_CONTEXT, record.headers, headerGetter) : ROOT_CONTEXT;
  const producer = trace.getSpanContext(extracted);

  let parent: Context = extracted;
  const links: Link[] = [];
  if (tracing.consumerParent === 'link') {
    // New trace; keep the baggage that came with the record, link to its producer.
    parent = trace.deleteSpan(extracted);
    if (producer && isSpanContextValid(producer)) links.push({ context: producer });
  }

  const span = tracer.startSpan(
    processSpanName(record.topic),
    {
      kind: SpanKind.CONSUMER,
      attributes: { ...consumerAttributes(record, consumerGroup, tracing.semconv), ...(attempt ? { [ATTR_DELIVERY_ATTEMPT]: attempt } : {}), ...attributes },
      links,
    },
    parent,
  );
  return runInSpan(span, parent, handler);
}
