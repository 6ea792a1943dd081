import { TOPICS } from '@mqtrace/contracts';
import type { StoredSpan } from '@mqtrace/trace-query';
import { describeSpan, spanKey, type Check, type Journey } from './journey.js';

/** How the fulfillment worker places its branches (`TRACE_FANOUT`). */
export type FanoutMode = 'link' | 'child';

/** Options of {@link traceModelChecks}. */
export interface TraceModelOptions {
  /** Expected fan-out; default: as the journey shows it (a branch PRODUCER with a parent means child mode). */
  readonly fanout?: FanoutMode;
}

/** The topics the fulfillment worker fans out to, and who consumes each. */
const BRANCHES = [
  { topic: TOPICS.inventoryReserve, consumer: 'inventory' },
  { topic: TOPICS.paymentsCharge, consumer: 'payments' },
  { topic: TOPICS.notificationsSend, consumer: 'notification' },
] as const;

const send = (topic: string) => `send ${topic}`;
const process = (topic: string) => `process ${topic}`;

/**
 * The expected edges of the system's trace model (docs/trace-model.md), each a check
 * with a reason; a failure names the span that broke the chain. Steps the journey has
 * not reached (no retry, no dead letter, no reconciliation yet) add no checks.
 */
export function traceModelChecks(journey: Journey, { fanout }: TraceModelOptions = {}): Check[] {
  const byKey = new Map(journey.spans.map((span) => [spanKey(span), span]));
  const parentOf = (span: StoredSpan) => (span.parentSpanId ? byKey.get(spanKey({ traceId: span.traceId, spanId: span.parentSpanId })) : undefined);
  const named = (name: string) => journey.spans.filter((span) => span.name === name);
  const checks: Check[] = [];
  const check = (id: string, title: string, result: { ok: boolean; reason: string; span?: StoredSpan }) =>
    checks.push({ id, title, ok: result.ok, reason: result.reason, ...(result.span ? { span: { traceId: result.span.traceId, spanId: result.span.spanId } } : {}) });

  /** `child` is the child of a span named `parentName`; the reason names what broke. */
  const childOf = (child: StoredSpan | undefined, parentName: string, missing: string): { ok: boolean; reason: string; span?: StoredSpan } => {
    if (!child) return { ok: false, reason: missing };
    const parent = parentOf(child);
    if (parent?.name === parentName) return { ok: true, reason: `${describeSpan(child)} is the child of ${describeSpan(parent)}`, span: child };
    if (!child.parentSpanId) {
      const why = child.kind === 'CONSUMER' ? 'the record carried no trace context' : 'it started a trace of its own';
      return { ok: false, reason: `${describeSpan(child)} is a root: ${why}`, span: child };
    }
    return { ok: false, reason: `${describeSpan(child)} has parent ${parent ? describeSpan(parent) : `${child.parentSpanId} (not found)`}, not \`${parentName}\``, span: child };
  };

  // The order trace.
  const request = named('POST /orders').find((span) => span.kind === 'SERVER');
  check('order.request', 'POST /orders is a SERVER span of order-api', request ? { ok: true, reason: `${describeSpan(request)} found`, span: request } : { ok: false, reason: 'no SERVER span `POST /orders` found' });
  const placedProducer = named(send(TOPICS.ordersPlaced)).find((span) => span.kind === 'PRODUCER');
  check('order.produce', `${send(TOPICS.ordersPlaced)} is inside the request`, placedProducer && request && descends(placedProducer, request, parentOf)
    ? { ok: true, reason: `${describeSpan(placedProducer)} descends from ${describeSpan(request)}`, span: placedProducer }
    : { ok: false, reason: placedProducer ? `${describeSpan(placedProducer)} is not inside \`POST /orders\`` : `no PRODUCER span \`${send(TOPICS.ordersPlaced)}\` found`, ...(placedProducer ? { span: placedProducer } : {}) });
  const fulfilment = named(process(TOPICS.ordersPlaced)).find((span) => span.kind === 'CONSUMER');
  check('order.consume', `${process(TOPICS.ordersPlaced)} is the child of ${send(TOPICS.ordersPlaced)}`, childOf(fulfilment, send(TOPICS.ordersPlaced), `no CONSUMER span \`${process(TOPICS.ordersPlaced)}\` found: fulfillment-worker did not process the order (yet)`));

  // The branches.
  const mode = fanout ?? (BRANCHES.some(({ topic }) => named(send(topic)).some((span) => parentOf(span)?.name === process(TOPICS.ordersPlaced))) ? 'child' : 'link');
  for (const { topic, consumer } of BRANCHES) {
    const start = named(send(topic)).find((span) => span.kind === 'PRODUCER' && span.service === 'fulfillment-worker');
    if (mode === 'child') {
      check(`branch.${topic}.start`, `${send(topic)} is a child of ${process(TOPICS.ordersPlaced)} (child mode)`, childOf(start, process(TOPICS.ordersPlaced), `no PRODUCER span \`${send(topic)}\` found: the order was not fanned out (yet)`));
    } else {
      check(`branch.${topic}.start`, `${send(topic)} starts a branch trace linked to ${process(TOPICS.ordersPlaced)}`, linkedBranch(start, fulfilment, topic));
    }
    // The first delivery: in the branch's trace if the chain holds, else wherever it is
    // (a root in a trace of its own, when the record carried no context).
    const deliveries = named(process(topic)).filter((span) => span.kind === 'CONSUMER' && span.service === consumer);
    const first = deliveries.find((span) => span.traceId === start?.traceId) ?? deliveries.sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano))[0];
    check(`branch.${topic}.consume`, `${process(topic)} in ${consumer} is the child of ${send(topic)}`, childOf(first, send(topic), `no CONSUMER span \`${process(topic)}\` of ${consumer} found`));
  }

  // Retries and the dead-letter path of the payment.
  for (const attempt of named(process(TOPICS.paymentsChargeRetry))) {
    check(`retry.attempt.${attempt.spanId}`, `a retry of ${TOPICS.paymentsCharge} is the child of its retry hop`, childOf(attempt, send(TOPICS.paymentsChargeRetry), ''));
  }
  for (const hop of named(send(TOPICS.paymentsChargeRetry))) {
    const failed = parentOf(hop);
    check(`retry.hop.${hop.spanId}`, 'a retry hop is sent from the attempt that failed', failed?.status === 'ERROR' ? { ok: true, reason: `${describeSpan(hop)} is the child of the failed ${describeSpan(failed)}`, span: hop } : { ok: false, reason: `${describeSpan(hop)} is not the child of a failed attempt`, span: hop });
  }
  const deadLetter = named(send(TOPICS.paymentsChargeDlq))[0];
  if (deadLetter) {
    const last = parentOf(deadLetter);
    check('dlq.produce', 'the dead-letter record is sent from the last failed attempt', last?.status === 'ERROR' ? { ok: true, reason: `${describeSpan(deadLetter)} is the child of the failed ${describeSpan(last)}`, span: deadLetter } : { ok: false, reason: `${describeSpan(deadLetter)} is not the child of a failed attempt`, span: deadLetter });
    const alert = named(process(TOPICS.paymentsChargeDlq)).find((span) => span.traceId === deadLetter.traceId) ?? named(process(TOPICS.paymentsChargeDlq))[0];
    check('dlq.consume', `${process(TOPICS.paymentsChargeDlq)} in notification is the child of ${send(TOPICS.paymentsChargeDlq)}`, childOf(alert, send(TOPICS.paymentsChargeDlq), `no CONSUMER span \`${process(TOPICS.paymentsChargeDlq)}\` found: notification did not get the dead letter (yet)`));
  }

  // Reconciliation runs.
  const charges = new Set(journey.spans.filter((span) => span.name.startsWith(process(TOPICS.paymentsCharge)) && span.service === 'payments').map(spanKey));
  for (const item of named('reconcile payment').filter((span) => !journey.orderId || span.attributes['order.id'] === journey.orderId)) {
    const run = parentOf(item);
    const linksToCharge = run?.links.some((link) => charges.has(spanKey(link))) ?? false;
    check(`reconciliation.${item.spanId}`, 'a reconciliation run is a root span linked to the charge it reconciled', run && !run.parentSpanId && linksToCharge
      ? { ok: true, reason: `${describeSpan(run)} is a root linked to the charge`, span: run }
      : { ok: false, reason: run ? `${describeSpan(run)} ${run.parentSpanId ? 'is not a root' : 'has no link to the charge'}` : `${describeSpan(item)} has no run as parent`, span: run ?? item });
  }

  // Every step reaches the timeline.
  const statusConsumers = named(process(TOPICS.ordersStatus));
  for (const step of named(send(TOPICS.ordersStatus))) {
    const consumed = statusConsumers.find((span) => span.traceId === step.traceId && span.parentSpanId === step.spanId);
    check(`status.${step.spanId}`, `every ${send(TOPICS.ordersStatus)} reaches order-api's timeline`, consumed
      ? { ok: true, reason: `${describeSpan(consumed)} is its child`, span: consumed }
      : { ok: false, reason: `${describeSpan(step)} has no CONSUMER child \`${process(TOPICS.ordersStatus)}\`: not consumed yet, or the record carried no trace context`, span: step });
  }
  return checks;
}

function linkedBranch(start: StoredSpan | undefined, fulfilment: StoredSpan | undefined, topic: string): { ok: boolean; reason: string; span?: StoredSpan } {
  if (!start) return { ok: false, reason: `no PRODUCER span \`${send(topic)}\` of fulfillment-worker found: the order was not fanned out (yet)` };
  if (start.parentSpanId) return { ok: false, reason: `${describeSpan(start)} has a parent: expected a new trace linked to \`${process(TOPICS.ordersPlaced)}\` (is TRACE_FANOUT=child?)`, span: start };
  if (!fulfilment) return { ok: false, reason: `${describeSpan(start)} cannot link to \`${process(TOPICS.ordersPlaced)}\`: that span was not found`, span: start };
  const linked = start.links.some((link) => link.traceId === fulfilment.traceId && link.spanId === fulfilment.spanId);
  return linked
    ? { ok: true, reason: `${describeSpan(start)} roots trace ${start.traceId} and links to ${describeSpan(fulfilment)}`, span: start }
    : { ok: false, reason: `${describeSpan(start)} has no link to ${describeSpan(fulfilment)}`, span: start };
}

function descends(span: StoredSpan, ancestor: StoredSpan, parentOf: (span: StoredSpan) => StoredSpan | undefined): boolean {
  for (let current = parentOf(span); current; current = parentOf(current)) if (current.spanId === ancestor.spanId) return true;
  return false;
}
