import type { StoredSpan } from '@mqtrace/trace-query';
import { describeSpan, spanKey, type Check, type Journey } from './journey.js';

/** Whether a span is a messaging span (has a messaging system), under any convention. */
const isMessaging = (span: StoredSpan) => span.attributes['messaging.system.name'] !== undefined || span.attributes['messaging.system'] !== undefined;

/**
 * Checks that need no trace model, for any system: every messaging CONSUMER span
 * continues a trace (has a parent or a link), every messaging PRODUCER span has a
 * CONSUMER (its child, or a span linking to it), and every link points at a span found.
 * Only failures are reported, plus one passing summary per kind when none failed.
 */
export function genericChecks(journey: Journey): Check[] {
  const consumers = journey.spans.filter((span) => span.kind === 'CONSUMER' && isMessaging(span));
  const producers = journey.spans.filter((span) => span.kind === 'PRODUCER' && isMessaging(span));
  const consumerKeys = new Set(consumers.map(spanKey));
  const consumedBy = new Set(
    journey.edges.filter((edge) => (edge.kind === 'parent' || edge.kind === 'link') && consumerKeys.has(spanKey(edge.from))).map((edge) => spanKey(edge.to)),
  );

  const orphans: Check[] = consumers
    .filter((span) => !span.parentSpanId && span.links.length === 0)
    .map((span) => ({
      id: `orphan-consumer.${span.spanId}`,
      title: 'every CONSUMER span continues the trace of its record',
      ok: false,
      reason: `${describeSpan(span)} is a root: the record carried no trace context`,
      span,
    }));
  const unconsumed: Check[] = producers
    .filter((span) => !consumedBy.has(spanKey(span)))
    .map((span) => ({
      id: `unconsumed-producer.${span.spanId}`,
      title: 'every PRODUCER span has a CONSUMER',
      ok: false,
      reason: `${describeSpan(span)} has no CONSUMER span: the record was not consumed yet, or its consumer did not continue the trace`,
      span,
    }));
  const dangling: Check[] = journey.edges
    .filter((edge) => edge.kind === 'link' && !edge.resolved)
    .map((edge) => ({
      id: `dangling-link.${edge.from.spanId}.${edge.to.spanId}`,
      title: 'every span link points at a span that exists',
      ok: false,
      reason: `span ${edge.from.spanId} links to ${edge.to.traceId}/${edge.to.spanId}, which was not found`,
      span: edge.from,
    }));
  return [
    ...(orphans.length ? orphans : [passed('orphan-consumer', 'every CONSUMER span continues the trace of its record', `${consumers.length} CONSUMER span(s), none a root`)]),
    ...(unconsumed.length ? unconsumed : [passed('unconsumed-producer', 'every PRODUCER span has a CONSUMER', `${producers.length} PRODUCER span(s), each consumed`)]),
    ...(dangling.length ? dangling : [passed('dangling-link', 'every span link points at a span that exists', `${journey.edges.filter((edge) => edge.kind === 'link').length} link(s), all found`)]),
  ];
}

function passed(id: string, title: string, reason: string): Check {
  return { id, title, ok: true, reason };
}
