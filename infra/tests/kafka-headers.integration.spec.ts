import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { Kafka, logLevel, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';

// Record headers are the only place trace context can travel through Kafka, so the
// broker must hand them back byte for byte: text and binary alike.
describe('a Kafka record with trace context headers', () => {
  const kafka = new Kafka({ clientId: 'infra-test', brokers: [...stackEndpoints().kafkaBrokers], logLevel: logLevel.NOTHING });
  const topic = `infra-test.headers.${randomBytes(4).toString('hex')}`;
  let producer: Producer;
  let consumer: Consumer;

  before(async () => {
    await assertStackReachable(['kafka']);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer();
    consumer = kafka.consumer({ groupId: `${topic}.group` });
    await Promise.all([producer.connect(), consumer.connect()]);
  });
  after(async () => {
    await Promise.all([producer?.disconnect(), consumer?.disconnect()]);
  });

  it('comes back from the broker with every header byte intact', async () => {
    const carrier: Record<string, string> = {};
    const spanContext = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.SAMPLED };
    new W3CTraceContextPropagator().inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, {
      set: (headers, key, value) => void (headers[key] = value),
    });
    const binary = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f]);
    const headers: IHeaders = { traceparent: carrier['traceparent'], 'x-binary': binary };

    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise<IHeaders>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.headers ?? {}) });
    });
    await producer.send({ topic, messages: [{ key: 'k', value: 'v', headers }] });
    const got = await received;

    assert.equal(carrier['traceparent'], `00-${spanContext.traceId}-${spanContext.spanId}-01`);
    assert.ok(Buffer.isBuffer(got['traceparent']));
    assert.equal((got['traceparent'] as Buffer).toString('utf8'), carrier['traceparent']);
    assert.deepEqual(got['x-binary'], binary);
  });
});
