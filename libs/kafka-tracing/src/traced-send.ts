// Pattern: producing (and fan-out). One PRODUCER span per message, its context injected
// into that message's headers by the configured propagator.
import { context, isSpanContextValid, propagation, SpanKind, trace, type Attributes, type Context, type Link, type Span, type Tracer } from '@opentelemetry/api';
import { headerSetter } from './header-carrier.js';
import { acknowledgedAttributes, producerAttributes, sendSpanName } from './messaging-attributes.js';
import type { MessageHeaders, OutgoingMessage, RecordSender, SentRecordMetadata } from './record.js';
import { recordSpanError } from './span-helpers.js';
import { libraryTracer } from './tracer.js';
import { DEFAULT_TRACING_OPTIONS, type KafkaTracingOptions } from './tracing-options.js';

/** Options of {@link sendTraced}. */
export interface SendOptions {
  /**
   * `child` (default): each PRODUCER span is a child of the active span.
   * `fanout`: the message starts a downstream branch; its span is placed as
   * `tracing.fanout` says (a new linked trace, or a child).
   */
  readonly relation?: 'child' | 'fanout';
  /**
   * Business attributes for the PRODUCER spans, e.g. `{ 'order.id': id }`: the same for
   * every message, or computed per message (from the caller's data, before serialising).
   */
  readonly attributes?: Attributes | ((message: OutgoingMessage, index: number) => Attributes | undefined);
  /** Library switches; default {@link DEFAULT_TRACING_OPTIONS}. */
  readonly tracing?: KafkaTracingOptions;
  /** Tracer to start spans with; default the library's tracer from the global provider. */
  readonly tracer?: Tracer;
}

/**
 * Sends messages to one topic with one PRODUCER span per message (`send <topic>`), each
 * message's headers carrying its own span's context. The caller's message objects and
 * header maps are not modified. Propagation headers the caller passes in (a copied
 * `traceparent` or `tracestate`) are dropped: the propagator alone writes them, so a
 * record never carries a stale context. One message or a batch: the same call.
 */
export async function sendTraced(
  sender: RecordSender,
  topic: string,
  messages: readonly OutgoingMessage[],
  { relation = 'child', attributes, tracing = DEFAULT_TRACING_OPTIONS, tracer = libraryTracer() }: SendOptions = {},
): Promise<SentRecordMetadata[]> {
  const active = context.active();
  const newTrace = relation === 'fanout' && tracing.fanout === 'link';
  const links = newTrace ? linkTo(active) : undefined;
  const propagationFields = propagation.fields().map((field) => field.toLowerCase());

  const spans: Span[] = [];
  const outgoing: OutgoingMessage[] = [];
  for (const [index, message] of messages.entries()) {
    const span = tracer.startSpan(
      sendSpanName(topic),
      {
        kind: SpanKind.PRODUCER,
        attributes: { ...producerAttributes(topic, message, messages.length, tracing.semconv), ...(typeof attributes === 'function' ? attributes(message, index) : attributes) },
        root: newTrace,
        links,
      },
      active,
    );
    const headers = withoutFields(message.headers, propagationFields);
    if (tracing.propagation === 'w3c') propagation.inject(trace.setSpan(active, span), headers, headerSetter);
    spans.push(span);
    outgoing.push({ ...message, headers });
  }

  try {
    const metadata = await sender.send(topic, outgoing);
    // The broker reports offsets per partition, so a message's own offset is known
    // only when it was the sole message of the send.
    const [only] = metadata;
    if (spans.length === 1 && metadata.length === 1 && only) {
      spans[0]?.setAttributes(acknowledgedAttributes(only.partition, only.baseOffset, tracing.semconv));
    }
    return metadata;
  } catch (error) {
    for (const span of spans) recordSpanError(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

function linkTo(active: Context): Link[] | undefined {
  const current = trace.getSpanContext(active);
  return current && isSpanContextValid(current) ? [{ context: current }] : undefined;
}

/** A copy of the headers without the propagator's fields, in any letter case. */
function withoutFields(headers: MessageHeaders | undefined, fields: readonly string[]): MessageHeaders {
  const copy: MessageHeaders = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (!fields.includes(key.toLowerCase())) copy[key] = value;
  }
  return copy;
}
