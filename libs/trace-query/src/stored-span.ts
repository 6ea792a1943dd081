/** Span kinds as OTLP names them, without the `SPAN_KIND_` prefix. */
export type SpanKindName = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';

/** Status codes as OTLP names them, without the `STATUS_CODE_` prefix. */
export type StatusCodeName = 'UNSET' | 'OK' | 'ERROR';

/** A scalar or list attribute value as stored by a trace backend. */
export type StoredAttributeValue = string | number | boolean | null | StoredAttributeValue[];

/** A span link: a pointer from one span to a span of another (or the same) trace. */
export interface StoredLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Readonly<Record<string, StoredAttributeValue>>;
}

/**
 * One span as a trace backend returned it, in a shape that does not depend on the
 * backend: ids are lower-case hex, times are nanoseconds since the epoch.
 */
export interface StoredSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Absent for a root span. */
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: SpanKindName;
  /** The `service.name` resource attribute of the process that recorded the span. */
  readonly service: string;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Readonly<Record<string, StoredAttributeValue>>;
  readonly links: readonly StoredLink[];
  readonly status: StatusCodeName;
  readonly statusMessage?: string;
}
