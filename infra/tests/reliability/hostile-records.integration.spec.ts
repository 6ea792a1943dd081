import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { stackEndpoints } from '@mqtrace/config';
import { OrderStatusEvent, statusEventId, TOPICS, type OrderStatus } from '@mqtrace/contracts';
import { followTimelines } from '@mqtrace/load';
import { ORDER_API_URL, startServices, type RunningServices } from '../support/services.js';
import { runScript } from '../support/scripts.js';
import { readTopic, topicEnd, type TopicOffsets } from '../support/topic-reader.js';

// Scenario 6 of the reliability suite: records produced straight to the consumed topics
// by a client that is not ours (plain kafkajs), all to one partition so that each topic's
// consumer must get past every one of them. A record whose value breaks the contract is
// dead-lettered exactly once; a valid record with broken or odd trace headers is
// processed exactly once; and a good record after them all still gets through.
const PARTITION = 0;
const MiB = 1024 * 1024;

/** A valid record of each work topic for an order, and the step it puts on the timeline. */
const WORK_TOPICS: ReadonlyArray<{ topic: string; dlq: string; step: OrderStatus; value: (orderId: string) => object }> = [
  {
    topic: TOPICS.ordersPlaced,
    dlq: TOPICS.ordersPlacedDlq,
    step: 'inventory-reserved',
    value: (orderId) => ({ orderId, placedAt: new Date().toISOString(), customerId: 'hostile-test', currency: 'EUR', paymentMethod: 'tok_declined', items: [{ sku: 'sku-1', quantity: 1 }] }),
  },
  { topic: TOPICS.inventoryReserve, dlq: TOPICS.inventoryReserveDlq, step: 'inventory-reserved', value: (orderId) => ({ orderId, items: [{ sku: 'sku-1', quantity: 1 }] }) },
  { topic: TOPICS.paymentsCharge, dlq: TOPICS.paymentsChargeDlq, step: 'payment-declined', value: (orderId) => ({ orderId, amountMinor: 1250, currency: 'EUR', paymentMethod: 'tok_declined' }) },
  { topic: TOPICS.notificationsSend, dlq: TOPICS.notificationsSendDlq, step: 'notification-sent', value: (orderId) => ({ orderId, customerId: 'hostile-test', template: 'order-received' }) },
];

/** Values that break every contract. */
const BAD_VALUES: ReadonlyArray<{ name: string; value: Buffer | null }> = [
  { name: 'not JSON', value: Buffer.from('{"orderId": "unterminated') },
  { name: 'JSON of the wrong shape', value: Buffer.from(JSON.stringify({ orderId: 42, items: 'none' })) },
  { name: 'empty value', value: Buffer.alloc(0) },
  { name: 'no value at all (a tombstone)', value: null },
  { name: 'a 1 MiB value', value: Buffer.alloc(MiB, 'x') },
];

/** Trace headers a broken or foreign producer sends with a valid value. */
const ODD_HEADERS: ReadonlyArray<{ name: string; headers: IHeaders }> = [
  { name: 'malformed traceparent', headers: { traceparent: 'not-a-traceparent' } },
  { name: 'oversized traceparent', headers: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01${'-x'.repeat(8 * 1024)}` } },
  { name: 'duplicated traceparent', headers: { traceparent: [`00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`, `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`] } },
  { name: 'binary traceparent', headers: { traceparent: randomBytes(55) } },
  { name: 'unknown extra headers', headers: { 'x-not-ours': 'hello', 'x-binary': randomBytes(16), tracestate: 'vendor=%%%' } },
];

describe('reliability: hostile records on the wire', () => {
  let services: RunningServices;
  const producer = new Kafka({ brokers: [...stackEndpoints().kafkaBrokers], logLevel: logLevel.NOTHING }).producer({ allowAutoTopicCreation: false });
  before(async () => {
    services = await startServices();
    await producer.connect();
  });
  after(async () => {
    await producer.disconnect();
    await services.stop();
  });

  for (const { topic, dlq, step, value } of WORK_TOPICS) {
    it(`${topic}: every bad value dead-lettered once, odd trace headers processed once, and the partition keeps flowing`, async () => {
      const dlqFrom: TopicOffsets = await topicEnd(dlq);
      const statusFrom: TopicOffsets = await topicEnd(TOPICS.ordersStatus);
      const badKeys = BAD_VALUES.map(({ name }) => `hostile-${randomUUID()}-${name}`);
      const oddOrders = ODD_HEADERS.map(() => randomUUID());
      const lastOrder = randomUUID();
      // One send per record, in order, to one partition.
      for (const [i, bad] of BAD_VALUES.entries()) await producer.send({ topic, messages: [{ partition: PARTITION, key: badKeys[i], value: bad.value }] });
      for (const [i, odd] of ODD_HEADERS.entries()) await producer.send({ topic, messages: [{ partition: PARTITION, key: oddOrders[i], value: JSON.stringify(value(oddOrders[i]!)), headers: odd.headers }] });
      await producer.send({ topic, messages: [{ partition: PARTITION, key: lastOrder, value: JSON.stringify(value(lastOrder)) }] });

      const orders = [...oddOrders, lastOrder].map((orderId) => ({ kind: 'approved' as const, sentAt: 0, answeredAt: 0, status: 202, orderId }));
      const timelines = await followTimelines(orders, { orderApiUrl: ORDER_API_URL, done: (_, timeline) => timeline.some((one) => one.status === step), timeoutMs: 60_000 });
      const missing = [...timelines].filter(([, timeline]) => !timeline.some((one) => one.status === step)).map(([orderId]) => orderId);
      assert.deepEqual(missing, [], `orders whose ${step} never showed: ${ODD_HEADERS.map(({ name }, i) => `${name} ${oddOrders[i]}`).join(', ')}, last ${lastOrder}`);

      const deadLettered = (await readTopic(dlq, dlqFrom)).filter((record) => record.key?.startsWith('hostile-'));
      for (const key of badKeys) assert.equal(deadLettered.filter((record) => record.key === key).length, 1, `${key} dead-lettered once in ${dlq}`);
      assert.equal(deadLettered.length, badKeys.length, 'nothing else of ours dead-lettered');
      const oversized = deadLettered.find((record) => record.key?.endsWith('a 1 MiB value'));
      assert.equal(oversized?.value?.length, MiB, 'the 1 MiB value reached the dead-letter topic whole');

      const steps = (await readTopic(TOPICS.ordersStatus, statusFrom)).flatMap((record) => {
        const event = OrderStatusEvent.safeParse(JSON.parse(record.value?.toString() ?? 'null'));
        return event.success && event.data.status === step ? [event.data.eventId] : [];
      });
      for (const orderId of [...oddOrders, lastOrder]) assert.equal(steps.filter((eventId) => eventId === statusEventId(orderId, step)).length, 1, `${orderId}: ${step} published once`);
      const status = await runScript('services.sh', ['status']);
      assert.equal(status.code, 0, `every service still running:\n${status.stdout}`);
    });
  }
});
