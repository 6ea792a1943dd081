import { randomBytes } from 'node:crypto';

/** One span to send, with the times and status a test wants (not what an SDK would measure). */
export interface RawSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly startNanos: bigint;
  readonly endNanos: bigint;
  readonly error?: boolean;
  /** Span links, to spans of other traces. */
  readonly links?: ReadonlyArray<{ readonly traceId: string; readonly spanId: string }>;
}

/** A new trace id and span id, in OTLP's hex. */
export const newIds = () => ({ traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') });

/** Now, in nanoseconds since the epoch. */
export const nowNanos = (): bigint => BigInt(Date.now()) * 1_000_000n;

/** Sends spans in one OTLP/HTTP JSON request to a collector's `/v1/traces`; throws unless it is accepted. */
export async function sendSpans(otlpHttp: string, service: string, spans: readonly RawSpan[]): Promise<void> {
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'infra-tests' },
            spans: spans.map((span) => ({
              traceId: span.traceId,
              spanId: span.spanId,
              ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
              name: span.name,
              kind: 1,
              startTimeUnixNano: span.startNanos.toString(),
              endTimeUnixNano: span.endNanos.toString(),
              status: span.error ? { code: 2, message: 'test error' } : { code: 0 },
              ...(span.links ? { links: span.links.map((link) => ({ traceId: link.traceId, spanId: link.spanId })) } : {}),
            })),
          },
        ],
      },
    ],
  };
  const response = await fetch(`${otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${otlpHttp}/v1/traces answered ${response.status}: ${await response.text()}`);
}
