/**
 * A consumer process for the retry-topic restart test: consumes a topic and its retry
 * topic with `tracedBatchRun` in retry-topic mode, fails every attempt, and prints one
 * JSON line per attempt (`{"attempt":n,"traceId":"…"}`) so the test can kill it mid-retry
 * and start another. Settings come from the environment the test passes.
 */
import { Kafka, logLevel } from 'kafkajs';
import { stackEndpoints } from '@mqtrace/config';
import { ConsumerHealth } from '../consumer-health.js';
import { retryTopicOf } from '../retry-topic.js';
import { installInMemoryTracing } from '../testing/in-memory-tracing.js';
import { kafkaJsSender, tracedBatchRun } from '../kafkajs/kafkajs-adapter.js';
import { trace } from '@opentelemetry/api';

installInMemoryTracing();
const topic = process.env['FIXTURE_TOPIC'] ?? '';
const groupId = process.env['FIXTURE_GROUP'] ?? '';
const kafka = new Kafka({ clientId: `fixture-${process.pid}`, brokers: [...stackEndpoints().kafkaBrokers], logLevel: logLevel.NOTHING });
const producer = kafka.producer();
// A short session, so the group notices a killed member quickly.
const consumer = kafka.consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 500, rebalanceTimeout: 10_000 });
await producer.connect();
await consumer.connect();
await consumer.subscribe({ topics: [topic, retryTopicOf(topic)], fromBeginning: true });
await consumer.run(
  tracedBatchRun(
    (_record, delivery) => {
      console.log(JSON.stringify({ attempt: delivery.attempt, traceId: trace.getActiveSpan()?.spanContext().traceId }));
      throw new Error('payment gateway timeout');
    },
    {
      sender: kafkaJsSender(producer),
      health: new ConsumerHealth(),
      consumerGroup: groupId,
      retry: { mode: 'retry-topic', maxAttempts: 3, initialDelayMs: 2_000, maxDelayMs: 2_000, multiplier: 1, jitter: 0 },
      group: { rebalanceTimeoutMs: 10_000, heartbeatIntervalMs: 500 },
    },
  ),
);
console.log(JSON.stringify({ ready: true }));
