import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { Kafka, logLevel } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { DEAD_LETTER_HEADERS, DEFAULT_TRACING_OPTIONS, headerText, type MessageHeaders } from '@mqtrace/kafka-tracing';
import { installInMemoryTracing } from '@mqtrace/kafka-tracing/testing';
import { TempoClient, waitForTrace } from '@mqtrace/trace-query';
import { RethrowRpcErrorsFilter } from './rethrow-rpc-errors.filter.js';
import { TracedClientKafka } from './traced-client-kafka.js';
import { TracedServerKafka } from './traced-server-kafka.js';

// The NestJS Kafka transport end to end on the real broker: ClientKafka emits, an
// @EventPattern handler consumes, and neither contains tracing code.
const endpoints = stackEndpoints();
const suffix = randomBytes(4).toString('hex');
const ORDERS = `it.orders.${suffix}`;
const CHARGES = `it.charges.${suffix}`;
const CHARGES_DLQ = `${CHARGES}.dlq`;
const MAX_ATTEMPTS = 3;

/** What the handlers saw, for the assertions. */
const seen = {
  orders: [] as Array<{ orderId: string; spanId?: string; traceId?: string }>,
  chargeAttempts: 0,
  deadLetters: [] as Array<{ headers: MessageHeaders; traceId?: string }>,
};
let resolveDeadLetter: () => void;
const deadLetterArrived = new Promise<void>((resolve) => (resolveDeadLetter = resolve));

@Controller()
class TestHandlers {
  @EventPattern<Record<string, { orderId: string }>>(ORDERS)
  onOrder(@Payload() order: { orderId: string }): void {
    const active = trace.getActiveSpan()?.spanContext();
    seen.orders.push({ orderId: order.orderId, spanId: active?.spanId, traceId: active?.traceId });
  }

  @EventPattern<Record<string, unknown>>(CHARGES)
  onCharge(@Payload() _charge: unknown): void {
    seen.chargeAttempts++;
    throw new Error('card declined by a flaky processor');
  }

  @EventPattern<Record<string, unknown>>(CHARGES_DLQ)
  // Nest 12 types a handler's extra parameters as unknown; the context is a KafkaContext.
  onDeadLetter(@Payload() _charge: unknown, @Ctx() kafka: unknown): void {
    seen.deadLetters.push({ headers: (kafka as KafkaContext).getMessage().headers ?? {}, traceId: trace.getActiveSpan()?.spanContext().traceId });
    resolveDeadLetter();
  }
}

@Module({ controllers: [TestHandlers] })
class TestModule {}

describe('TracedServerKafka and TracedClientKafka on the real broker', () => {
  const tracing = installInMemoryTracing({
    alsoTo: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${endpoints.otlpEndpoint}/v1/traces` }) })],
  });
  const tracer = trace.getTracer('integration-test');
  let app: INestMicroservice;
  let client: TracedClientKafka;

  before(async () => {
    await assertStackReachable(['kafka', 'collector', 'tempo']);
    const admin = new Kafka({ brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [ORDERS, CHARGES, CHARGES_DLQ].map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
    await admin.disconnect();

    app = await NestFactory.createMicroservice(TestModule, {
      logger: ['error'],
      strategy: new TracedServerKafka({
        client: { clientId: `it-${suffix}`, brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING },
        consumer: { groupId: `it-${suffix}` },
        subscribe: { fromBeginning: true },
        tracing: {
          tracing: DEFAULT_TRACING_OPTIONS,
          retry: { maxAttempts: MAX_ATTEMPTS, initialDelayMs: 20, maxDelayMs: 100, multiplier: 2 },
          consumerAttributes: (record) => ({ 'order.id': headerText(record.key ?? undefined) ?? '' }),
        },
      }),
    });
    app.useGlobalFilters(new RethrowRpcErrorsFilter());
    await app.listen();
    client = new TracedClientKafka({
      client: { clientId: `it-client-${suffix}`, brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING },
      producerOnlyMode: true,
      tracing: { tracing: DEFAULT_TRACING_OPTIONS, producerAttributes: (_topic, data) => ({ 'order.id': (data as { key: string }).key }) },
    });
    await client.connect();
  });

  after(async () => {
    await client?.close();
    await app?.close();
    await tracing.shutdown();
  });

  it('the handler runs inside its CONSUMER span, the child of the PRODUCER span of the emit', async () => {
    const request = tracer.startSpan('POST /orders', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    await context.with(trace.setSpan(ROOT_CONTEXT, request), () =>
      lastValueFrom(client.emit(ORDERS, { key: 'o-1', value: { orderId: 'o-1' } })),
    );
    request.end();
    await waitUntil(() => seen.orders.length === 1);

    const [producer] = tracing.named(`send ${ORDERS}`);
    const [consumer] = tracing.named(`process ${ORDERS}`);
    assert.ok(producer && consumer);
    assert.equal(tracing.named(`send ${ORDERS}`).length, 1, 'one PRODUCER span per message');
    assert.equal(tracing.named(`process ${ORDERS}`).length, 1, 'one CONSUMER span per message');
    assert.equal(producer.parentSpanContext?.spanId, request.spanContext().spanId);
    assert.equal(consumer.parentSpanContext?.spanId, producer.spanContext().spanId);
    assert.equal(consumer.spanContext().traceId, request.spanContext().traceId);
    assert.equal(consumer.attributes['messaging.consumer.group.name'], `it-${suffix}-server`);
    assert.equal(consumer.attributes['order.id'], 'o-1');
    assert.equal(producer.attributes['order.id'], 'o-1');
    assert.deepEqual(seen.orders[0], { orderId: 'o-1', spanId: consumer.spanContext().spanId, traceId: request.spanContext().traceId });

    // The same edge, as stored by Tempo after the collector tier.
    await tracing.flush();
    const stored = await waitForTrace(new TempoClient(endpoints.tempoUrl), request.spanContext().traceId, { until: (spans) => spans.length >= 3 });
    const storedConsumer = stored?.find((span) => span.name === `process ${ORDERS}`);
    assert.equal(storedConsumer?.parentSpanId, producer.spanContext().spanId);
  });

  it('a handler that always fails is retried, then dead-lettered with its trace and origin', async () => {
    const request = tracer.startSpan('POST /charges', {}, ROOT_CONTEXT);
    await context.with(trace.setSpan(ROOT_CONTEXT, request), () => lastValueFrom(client.emit(CHARGES, { key: 'o-2', value: { amount: 10 } })));
    request.end();
    await deadLetterArrived;
    // The handler runs inside the span, so the span ends just after it.
    await waitUntil(() => tracing.named(`process ${CHARGES_DLQ}`).length === 1);

    const attempts = tracing.named(`process ${CHARGES}`);
    assert.equal(seen.chargeAttempts, MAX_ATTEMPTS);
    assert.equal(attempts.length, MAX_ATTEMPTS);
    for (const attempt of attempts) {
      assert.equal(attempt.status.code, SpanStatusCode.ERROR);
      assert.equal(attempt.spanContext().traceId, request.spanContext().traceId);
    }
    const [dlqProducer] = tracing.named(`send ${CHARGES_DLQ}`);
    const [dlqConsumer] = tracing.named(`process ${CHARGES_DLQ}`);
    assert.equal(dlqProducer?.spanContext().traceId, request.spanContext().traceId);
    assert.equal(dlqConsumer?.parentSpanContext?.spanId, dlqProducer?.spanContext().spanId);
    assert.equal(seen.deadLetters[0]?.traceId, request.spanContext().traceId);

    const header = (name: string) => headerText(seen.deadLetters[0]?.headers[name]);
    assert.equal(header('traceparent')?.split('-')[2], dlqProducer?.spanContext().spanId);
    assert.equal(header(DEAD_LETTER_HEADERS.topic), CHARGES);
    assert.equal(header(DEAD_LETTER_HEADERS.partition), '0');
    assert.equal(header(DEAD_LETTER_HEADERS.offset), '0');
    assert.equal(header(DEAD_LETTER_HEADERS.consumerGroup), `it-${suffix}-server`);
    assert.equal(header(DEAD_LETTER_HEADERS.attempts), String(MAX_ATTEMPTS));
    assert.equal(header(DEAD_LETTER_HEADERS.errorType), 'Error');
    assert.equal(header(DEAD_LETTER_HEADERS.errorMessage), 'card declined by a flaky processor');
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the handler');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
