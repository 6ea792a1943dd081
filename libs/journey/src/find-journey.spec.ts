import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TraceStoreError, type StoredSpan, type TraceStore } from '@mqtrace/trace-query';
import { findJourney } from './find-journey.js';

// findJourney against a stand-in trace store holding a few traces: what it fetches.
const ORDER = '6f0c1a52-1d4b-4c3e-9a57-2a3c1b4e5f60';
const OTHER = '7a1b2c3d-1d4b-4c3e-9a57-2a3c1b4e5f61';
const trace = (n: number) => n.toString(16).padStart(32, '0');
const span = (traceId: string, spanId: string, orderId: string | undefined, links: Array<[string, string]> = []): StoredSpan => ({
  traceId,
  spanId,
  name: 'span',
  kind: 'INTERNAL',
  service: 'test',
  startTimeUnixNano: 1n,
  endTimeUnixNano: 2n,
  attributes: orderId ? { 'order.id': orderId } : {},
  links: links.map(([linkedTrace, spanId]) => ({ traceId: linkedTrace, spanId, attributes: {} })),
  status: 'UNSET',
});

// Trace 1: the order. Trace 2: a branch without order.id, linked from trace 1.
// Trace 3: a job run serving two orders (no order.id on the run) that links to trace 1
// and to trace 4, another order's charge; trace 3 is found through its per-order child.
const store = new Map<string, StoredSpan[]>([
  [trace(1), [span(trace(1), 'a1', ORDER, [[trace(2), 'b1']])]],
  [trace(2), [span(trace(2), 'b1', undefined)]],
  [trace(3), [span(trace(3), 'c1', undefined, [[trace(1), 'a1'], [trace(4), 'd1']]), span(trace(3), 'c2', ORDER)]],
  [trace(4), [span(trace(4), 'd1', OTHER)]],
  // Another system's fan-out, no order ids: trace 5's producer, consumed in trace 6 (which
  // links back to it), whose consumer links on to trace 7's producer.
  [trace(5), [span(trace(5), 'e1', undefined)]],
  [trace(6), [span(trace(6), 'f1', undefined, [[trace(5), 'e1']])]],
  [trace(7), [span(trace(7), 'g1', undefined, [[trace(6), 'f1']])]],
]);
const linkQuery = /^\{ link:traceID =~ "0\*([0-9a-f]{1,32})" \}$/;
const fetched: string[] = [];
const search: TraceStore & { searchTraceIds(query: string): Promise<string[]> } = {
  name: 'stand-in',
  getTrace: async (traceId) => {
    fetched.push(traceId);
    return store.get(traceId);
  },
  searchTraceIds: async (query) => {
    const linkedTo = linkQuery.exec(query)?.[1];
    const matches = (one: StoredSpan) => (linkedTo ? one.links.some((link) => link.traceId.replace(/^0+/, '') === linkedTo) : query.includes(String(one.attributes['order.id'])));
    return [...store].filter(([, spans]) => spans.some(matches)).map(([traceId]) => traceId);
  },
};

describe('findJourney', () => {
  it("finds the order's traces, follows its own spans' links, and not those of a run serving other orders", async () => {
    const journey = await findJourney({ orderId: ORDER }, { search });
    assert.deepEqual([...(journey?.traces.keys() ?? [])].sort(), [trace(1), trace(2), trace(3)]);
    assert.ok(!fetched.includes(trace(4)), "another order's trace is not fetched");
  });

  it('starts from a trace id, taking the order id its spans carry', async () => {
    const journey = await findJourney({ traceId: trace(2) }, { search });
    assert.equal(journey?.orderId, undefined, 'trace 2 carries no order id: only it and what it links to');
    const fromOrderTrace = await findJourney({ traceId: trace(1) }, { search });
    assert.equal(fromOrderTrace?.orderId, ORDER);
    assert.equal(fromOrderTrace?.traces.size, 3);
  });

  it('without an order id, finds the traces that link into the ones found, transitively', async () => {
    const journey = await findJourney({ traceId: trace(5) }, { search });
    assert.deepEqual([...(journey?.traces.keys() ?? [])].sort(), [trace(5), trace(6), trace(7)]);
  });

  it('with an order id, leaves link searches to the order search', async () => {
    const queries: string[] = [];
    await findJourney({ orderId: ORDER }, { search: { ...search, searchTraceIds: async (query) => (queries.push(query), search.searchTraceIds(query)) } });
    assert.ok(queries.every((query) => !linkQuery.test(query)), queries.join('\n'));
  });

  it('treats a Tempo too old for link intrinsics (400) as no links in, and any other failure as one', async () => {
    const failing = (status: number) => ({
      ...search,
      searchTraceIds: async (query: string) => {
        if (linkQuery.test(query)) throw new TraceStoreError(`tempo answered ${status}`, status);
        return search.searchTraceIds(query);
      },
    });
    const journey = await findJourney({ traceId: trace(5) }, { search: failing(400) });
    assert.deepEqual([...(journey?.traces.keys() ?? [])], [trace(5)]);
    await assert.rejects(findJourney({ traceId: trace(5) }, { search: failing(503) }), TraceStoreError);
  });

  it('is undefined for a trace id nobody knows: "not found", never an empty journey', async () => {
    assert.equal(await findJourney({ traceId: trace(99) }, { search }), undefined);
  });
});
