import type { IncomingMessage } from 'node:http';
import { isSpanContextValid, propagation, ROOT_CONTEXT, trace, type Span } from '@opentelemetry/api';

/** The propagation headers an untrusted client may send. */
const PROPAGATION_HEADERS = ['traceparent', 'tracestate', 'baggage'] as const;

/** Attribute on the link to the context a client sent but was not trusted with. */
export const ATTR_UNTRUSTED_LINK = 'mqtrace.link.untrusted_inbound';

/**
 * HTTP instrumentation hooks for an edge service that does not let clients choose its
 * traces (`TRUST_INBOUND_TRACEPARENT=false`): the client's propagation headers are taken
 * off the request before the SERVER span starts, so the span roots a new trace, and the
 * client's context is then attached to that span as a link (kept for correlation,
 * never a parent). Internal hops (Kafka) are unaffected.
 */
export function untrustedInboundHooks(): {
  startIncomingSpanHook: (request: IncomingMessage) => Record<string, never>;
  requestHook: (span: Span, request: unknown) => void;
} {
  const taken = new WeakMap<object, Record<string, string>>();
  return {
    // Called before the instrumentation reads the headers to choose the span's parent.
    startIncomingSpanHook: (request) => {
      const carrier: Record<string, string> = {};
      for (const name of PROPAGATION_HEADERS) {
        const value = request.headers[name];
        if (typeof value === 'string') carrier[name] = value;
        delete request.headers[name];
      }
      if (Object.keys(carrier).length > 0) taken.set(request, carrier);
      return {};
    },
    requestHook: (span, request) => {
      const carrier = typeof request === 'object' && request !== null ? taken.get(request) : undefined;
      if (!carrier) return;
      const client = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier));
      if (client && isSpanContextValid(client)) span.addLink({ context: client, attributes: { [ATTR_UNTRUSTED_LINK]: true } });
    },
  };
}

/** Whether the environment says to trust clients' trace context (`TRUST_INBOUND_TRACEPARENT`, default true). */
export function trustsInboundTraceparent(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  // Exactly `true` or `false`, as order-api's validated settings accept it.
  const value = env['TRUST_INBOUND_TRACEPARENT']?.trim();
  if (value === undefined || value === '' || value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`TRUST_INBOUND_TRACEPARENT must be true or false, got ${JSON.stringify(env['TRUST_INBOUND_TRACEPARENT'])}`);
}
