import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spansFromOtlpJson } from './otlp-json.js';

const TRACE_HEX = '0af7651916cd43dd8448eb211c80319c';
const SPAN_HEX = 'b7ad6b7169203331';
const PARENT_HEX = '00f067aa0ba902b7';
const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

describe('spansFromOtlpJson', () => {
  it('reads hex ids, enum numbers and typed attributes (Jaeger style)', () => {
    const [span] = spansFromOtlpJson({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'order-api' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE_HEX.toUpperCase(),
                  spanId: SPAN_HEX,
                  parentSpanId: PARENT_HEX,
                  name: 'send orders.placed',
                  kind: 4,
                  startTimeUnixNano: '1700000000000000001',
                  endTimeUnixNano: '1700000000000000002',
                  attributes: [
                    { key: 'messaging.destination.partition.id', value: { stringValue: '2' } },
                    { key: 'messaging.kafka.offset', value: { intValue: '42' } },
                    { key: 'retry', value: { boolValue: true } },
                    { key: 'ratio', value: { doubleValue: 0.5 } },
                    { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }] } } },
                  ],
                  links: [{ traceId: TRACE_HEX, spanId: PARENT_HEX, attributes: [] }],
                  status: { code: 2, message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    });
    assert.deepEqual(span, {
      traceId: TRACE_HEX,
      spanId: SPAN_HEX,
      parentSpanId: PARENT_HEX,
      name: 'send orders.placed',
      kind: 'PRODUCER',
      service: 'order-api',
      startTimeUnixNano: 1700000000000000001n,
      endTimeUnixNano: 1700000000000000002n,
      attributes: {
        'messaging.destination.partition.id': '2',
        'messaging.kafka.offset': 42,
        retry: true,
        ratio: 0.5,
        tags: ['a', 1],
      },
      links: [{ traceId: TRACE_HEX, spanId: PARENT_HEX, attributes: {} }],
      status: 'ERROR',
      statusMessage: 'boom',
    });
  });

  it('reads base64 ids and enum names (Tempo style), and sorts by start time', () => {
    const spans = spansFromOtlpJson({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: base64(TRACE_HEX), spanId: base64(SPAN_HEX), name: 'late', kind: 'SPAN_KIND_CONSUMER', startTimeUnixNano: '20', status: { code: 'STATUS_CODE_OK' } },
                { traceId: base64(TRACE_HEX), spanId: base64(PARENT_HEX), name: 'early', kind: 'SPAN_KIND_SERVER', startTimeUnixNano: '10' },
              ],
            },
          ],
        },
      ],
    });
    assert.deepEqual(spans.map((s) => [s.name, s.kind, s.status, s.service, s.spanId]), [
      ['early', 'SERVER', 'UNSET', 'unknown', PARENT_HEX],
      ['late', 'CONSUMER', 'OK', 'unknown', SPAN_HEX],
    ]);
    assert.equal(spans[0]?.traceId, TRACE_HEX);
    assert.equal(spans[0]?.parentSpanId, undefined);
  });

  it('drops spans whose ids cannot be read instead of inventing ids', () => {
    assert.deepEqual(spansFromOtlpJson({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'nonsense', spanId: SPAN_HEX }] }] }] }), []);
    assert.deepEqual(spansFromOtlpJson({}), []);
  });
});
