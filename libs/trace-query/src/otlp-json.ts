import { idToHex } from './ids.js';
import type { SpanKindName, StatusCodeName, StoredAttributeValue, StoredLink, StoredSpan } from './stored-span.js';

/** The parts of an OTLP/JSON `TracesData` document that the normalizer reads. */
export interface OtlpTracesJson {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: Array<{ spans?: OtlpSpanJson[] }>;
    /** Older backends still use the pre-1.0 field name. */
    instrumentationLibrarySpans?: Array<{ spans?: OtlpSpanJson[] }>;
  }>;
}

interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
}

interface OtlpSpanJson {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number | string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
  links?: Array<{ traceId?: string; spanId?: string; attributes?: OtlpKeyValue[] }>;
  status?: { code?: number | string; message?: string };
}

const KINDS: readonly SpanKindName[] = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUSES: readonly StatusCodeName[] = ['UNSET', 'OK', 'ERROR'];

/** Flattens an OTLP/JSON document (hex or base64 ids, enum numbers or names) into spans. */
export function spansFromOtlpJson(document: OtlpTracesJson): StoredSpan[] {
  const spans: StoredSpan[] = [];
  for (const resourceSpans of document.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown';
    for (const scope of [...(resourceSpans.scopeSpans ?? []), ...(resourceSpans.instrumentationLibrarySpans ?? [])]) {
      for (const span of scope.spans ?? []) {
        const normalized = normalizeSpan(span, service);
        if (normalized) spans.push(normalized);
      }
    }
  }
  return spans.sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0));
}

function normalizeSpan(span: OtlpSpanJson, service: string): StoredSpan | undefined {
  const traceId = idToHex(span.traceId, 16);
  const spanId = idToHex(span.spanId, 8);
  if (!traceId || !spanId) return undefined;
  const parentSpanId = idToHex(span.parentSpanId, 8);
  const links: StoredLink[] = [];
  for (const link of span.links ?? []) {
    const linkTraceId = idToHex(link.traceId, 16);
    const linkSpanId = idToHex(link.spanId, 8);
    if (linkTraceId && linkSpanId) {
      links.push({ traceId: linkTraceId, spanId: linkSpanId, attributes: attributesOf(link.attributes) });
    }
  }
  return {
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: span.name ?? '',
    kind: enumName(span.kind, KINDS, 'SPAN_KIND_'),
    service,
    startTimeUnixNano: BigInt(span.startTimeUnixNano ?? 0),
    endTimeUnixNano: BigInt(span.endTimeUnixNano ?? 0),
    attributes: attributesOf(span.attributes),
    links,
    status: enumName(span.status?.code, STATUSES, 'STATUS_CODE_'),
    ...(span.status?.message ? { statusMessage: span.status.message } : {}),
  };
}

function enumName<T extends string>(value: number | string | undefined, names: readonly T[], prefix: string): T {
  if (typeof value === 'number') return names[value] ?? names[0];
  const name = (value ?? '').replace(prefix, '') as T;
  return names.includes(name) ? name : names[0];
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, StoredAttributeValue> {
  const result: Record<string, StoredAttributeValue> = {};
  for (const { key, value } of list ?? []) result[key] = valueOf(value);
  return result;
}

function valueOf(value: OtlpAnyValue | undefined): StoredAttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return null;
}
