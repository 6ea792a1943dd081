import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredSpan } from '@mqtrace/trace-query';
import { genericChecks } from './generic-checks.js';
import { journeyOf } from './journey.js';
import { traceModelChecks } from './trace-model.js';

// Journeys as Tempo returns them, built by hand: one that follows the trace model in
// link mode, and the ways it breaks.
const ORDER = '6f0c1a52-1d4b-4c3e-9a57-2a3c1b4e5f60';
let clock = 1_000_000_000n;
let nextId = 1;
const id = (digits: number) => (nextId++).toString(16).padStart(digits, '0');

function span(traceId: string, name: string, kind: StoredSpan['kind'], service: string, parent?: StoredSpan, extra: Partial<StoredSpan> = {}): StoredSpan {
  clock += 1_000_000n;
  const messaging: Record<string, string> = kind === 'PRODUCER' || kind === 'CONSUMER' ? { 'messaging.system.name': 'kafka' } : {};
  return {
    traceId,
    spanId: id(16),
    ...(parent ? { parentSpanId: parent.spanId } : {}),
    name,
    kind,
    service,
    startTimeUnixNano: clock,
    endTimeUnixNano: clock + 500_000n,
    attributes: { 'order.id': ORDER, ...messaging },
    links: [],
    status: 'UNSET',
    ...extra,
  };
}

interface Options {
  readonly fanout?: 'link' | 'child';
  readonly naive?: boolean;
  readonly consumeStatus?: boolean;
}

function approvedJourney({ fanout = 'link', naive = false, consumeStatus = true }: Options = {}) {
  const spans: StoredSpan[] = [];
  const add = (...args: Parameters<typeof span>) => {
    const created = span(...args);
    spans.push(created);
    return created;
  };
  const order = id(32);
  const server = add(order, 'POST /orders', 'SERVER', 'order-api');
  const placed = add(order, 'send orders.placed', 'PRODUCER', 'order-api', server);
  const status = add(order, 'send orders.status', 'PRODUCER', 'order-api', server);
  if (consumeStatus) add(order, 'process orders.status', 'CONSUMER', 'order-api', status);
  const fulfilment = naive ? add(id(32), 'process orders.placed', 'CONSUMER', 'fulfillment-worker') : add(order, 'process orders.placed', 'CONSUMER', 'fulfillment-worker', placed);
  let charge: StoredSpan | undefined;
  for (const [topic, consumer] of [['inventory.reserve', 'inventory'], ['payments.charge', 'payments'], ['notifications.send', 'notification']] as const) {
    const start =
      fanout === 'child'
        ? add(fulfilment.traceId, `send ${topic}`, 'PRODUCER', 'fulfillment-worker', fulfilment)
        : add(id(32), `send ${topic}`, 'PRODUCER', 'fulfillment-worker', undefined, { links: [{ traceId: fulfilment.traceId, spanId: fulfilment.spanId, attributes: {} }] });
    const consumed = naive ? add(id(32), `process ${topic}`, 'CONSUMER', consumer) : add(start.traceId, `process ${topic}`, 'CONSUMER', consumer, start);
    if (topic === 'payments.charge') charge = consumed;
  }
  const run = add(id(32), 'payments.reconciliation', 'INTERNAL', 'payments', undefined, { attributes: {}, links: [{ traceId: charge!.traceId, spanId: charge!.spanId, attributes: {} }] });
  add(run.traceId, 'reconcile payment', 'INTERNAL', 'payments', run);
  const traces = new Map<string, StoredSpan[]>();
  for (const one of spans) traces.set(one.traceId, [...(traces.get(one.traceId) ?? []), one]);
  return { journey: journeyOf(traces, ORDER), server, placed, fulfilment };
}

const failures = (checks: ReturnType<typeof traceModelChecks>) => checks.filter((check) => !check.ok).map((check) => `${check.id}: ${check.reason}`);

describe('traceModelChecks', () => {
  it('passes every expected edge of an approved order in link mode, and the generic checks too', () => {
    const { journey } = approvedJourney();
    const checks = traceModelChecks(journey);
    assert.deepEqual(failures(checks), []);
    assert.ok(checks.some((check) => check.id === 'branch.payments.charge.start' && /links to CONSUMER `process orders.placed`/.test(check.reason)));
    assert.ok(checks.some((check) => check.id.startsWith('reconciliation.')));
    assert.deepEqual(failures(genericChecks(journey)), []);
  });

  it('names the span that broke the chain in naive mode: every CONSUMER span is a root', () => {
    const { journey } = approvedJourney({ naive: true });
    const broken = failures(traceModelChecks(journey));
    assert.ok(broken.includes('order.consume: CONSUMER `process orders.placed` in fulfillment-worker is a root: the record carried no trace context'), broken.join('\n'));
    assert.ok(broken.includes('branch.payments.charge.consume: CONSUMER `process payments.charge` in payments is a root: the record carried no trace context'), broken.join('\n'));
    assert.equal(genericChecks(journey).filter((check) => !check.ok && check.id.startsWith('orphan-consumer.')).length, 4);
  });

  it('gives the link checks way to child checks in child mode, and says so when link mode was expected', () => {
    const { journey } = approvedJourney({ fanout: 'child' });
    const checks = traceModelChecks(journey);
    assert.deepEqual(failures(checks), []);
    assert.match(checks.find((check) => check.id === 'branch.inventory.reserve.start')?.title ?? '', /child of process orders.placed \(child mode\)/);
    const forced = failures(traceModelChecks(journey, { fanout: 'link' }));
    assert.ok(forced.some((failure) => /send inventory.reserve` in fulfillment-worker has a parent: .*TRACE_FANOUT=child/.test(failure)), forced.join('\n'));
  });

  it('reports an order that was never processed, and a status nobody consumed', () => {
    const { journey } = approvedJourney({ consumeStatus: false });
    const withoutFulfilment = journeyOf(new Map([...journey.traces].map(([traceId, spans]) => [traceId, spans.filter((one) => one.name !== 'process orders.placed')])), ORDER);
    const broken = failures(traceModelChecks(withoutFulfilment));
    assert.ok(broken.some((failure) => failure.startsWith('order.consume: no CONSUMER span `process orders.placed` found')));
    assert.ok(broken.some((failure) => /^status\.\w+: PRODUCER `send orders.status` in order-api has no CONSUMER child/.test(failure)));
    const generic = failures(genericChecks(withoutFulfilment));
    assert.ok(generic.some((failure) => /^unconsumed-producer\.\w+: PRODUCER `send orders.placed` in order-api has no CONSUMER span/.test(failure)), generic.join('\n'));
    assert.ok(generic.some((failure) => /^dangling-link\./.test(failure)), 'the branch links point at the missing span');
  });
});

describe('journeyOf', () => {
  it('finds parent, link and queue-hop edges, with the queue gap', () => {
    const { journey, placed, fulfilment } = approvedJourney();
    const hop = journey.edges.find((edge) => edge.kind === 'queue-hop' && edge.from.spanId === fulfilment.spanId);
    assert.deepEqual(hop?.to, { traceId: placed.traceId, spanId: placed.spanId });
    assert.equal(hop?.gapNanos, fulfilment.startTimeUnixNano - placed.endTimeUnixNano);
    const links = journey.edges.filter((edge) => edge.kind === 'link' && edge.to.spanId === fulfilment.spanId);
    assert.equal(links.length, 3, 'three branches link to process orders.placed ("linked from")');
    assert.ok(links.every((edge) => edge.resolved));
  });
});
