import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Controller, Logger, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { Kafka, logLevel } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { DEAD_LETTER_HEADERS, DEFAULT_TRACING_OPTIONS, headerText, PoisonMessageError, retryTopicOf, type MessageHeaders } from '@mqtrace/kafka-tracing';
import { installInMemoryTracing } from '@mqtrace/kafka-tracing/testing';
import { TempoClient, waitForTrace } from '@mqtrace/trace-query';
import { RethrowRpcErrorsFilter } from './rethrow-rpc-errors.filter.js';
import { TracedClientKafka } from './traced-client-kafka.js';
import { TracedServerKafka } from './traced-server-kafka.js';

// The NestJS Kafka transport end to end on the real broker: a TracedClientKafka emits,
// emits batches and sends requests; @EventPattern and @MessagePattern handlers consume;
// none of them contains tracing code.
const endpoints = stackEndpoints();
const brokers = [...endpoints.kafkaBrokers];
const suffix = randomBytes(4).toString('hex');
const T = {
  orders: `it.orders.${suffix}`,
  batch: `it.batch.${suffix}`,
  charges: `it.charges.${suffix}`,
  poison: `it.poison.${suffix}`,
  quote: `it.quote.${suffix}`,
  flaky: `it.flaky.${suffix}`,
  unfiltered: `it.unfiltered.${suffix}`,
};
const MAX_ATTEMPTS = 3;
const tracing = installInMemoryTracing({
  alsoTo: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${endpoints.otlpEndpoint}/v1/traces` }) })],
});
const tracer = trace.getTracer('integration-test');

/** What the handlers saw, for the assertions. */
const seen = {
  orders: [] as Array<{ orderId: string; spanId?: string; traceId?: string }>,
  batch: [] as Array<{ n: number; traceId?: string }>,
  calls: new Map<string, number>(),
  deadLetters: new Map<string, Array<{ headers: MessageHeaders; traceId?: string }>>(),
};
const count = (topic: string) => seen.calls.set(topic, (seen.calls.get(topic) ?? 0) + 1);
const deadLettersOf = (topic: string) => seen.deadLetters.get(`${topic}.dlq`) ?? [];
function onDeadLetter(topic: string, kafka: unknown) {
  const list = seen.deadLetters.get(topic) ?? [];
  list.push({ headers: (kafka as KafkaContext).getMessage().headers ?? {}, traceId: trace.getActiveSpan()?.spanContext().traceId });
  seen.deadLetters.set(topic, list);
}

@Controller()
class TestHandlers {
  @EventPattern<Record<string, { orderId: string }>>(T.orders)
  onOrder(@Payload() order: { orderId: string }): void {
    const active = trace.getActiveSpan()?.spanContext();
    seen.orders.push({ orderId: order.orderId, spanId: active?.spanId, traceId: active?.traceId });
  }

  @EventPattern<Record<string, { n: number }>>(T.batch)
  onBatchItem(@Payload() item: { n: number }): void {
    seen.batch.push({ n: item.n, traceId: trace.getActiveSpan()?.spanContext().traceId });
  }

  @EventPattern<Record<string, unknown>>(T.charges)
  onCharge(@Payload() _charge: unknown): void {
    count(T.charges);
    throw new Error('card declined by a flaky processor');
  }

  @EventPattern<Record<string, unknown>>(T.poison)
  onPoison(@Payload() _charge: unknown): void {
    count(T.poison);
    throw new PoisonMessageError('payload is not a charge');
  }

  @MessagePattern(T.quote)
  quote(@Payload() request: { sku: string }): { sku: string; price: number } {
    count(T.quote);
    if (request.sku === 'unknown') throw new RangeError(`no price for ${request.sku}`);
    return { sku: request.sku, price: 42 };
  }

  @EventPattern<Record<string, unknown>>(`${T.charges}.dlq`)
  onChargeDeadLetter(@Payload() _charge: unknown, @Ctx() kafka: unknown): void {
    onDeadLetter(`${T.charges}.dlq`, kafka);
  }

  @EventPattern<Record<string, unknown>>(`${T.poison}.dlq`)
  onPoisonDeadLetter(@Payload() _charge: unknown, @Ctx() kafka: unknown): void {
    onDeadLetter(`${T.poison}.dlq`, kafka);
  }
}
@Module({ controllers: [TestHandlers] })
class TestModule {}

/** Handlers of the second application: retry topics, and no RethrowRpcErrorsFilter. */
@Controller()
class UnfilteredHandlers {
  @EventPattern<Record<string, unknown>>(T.flaky)
  onFlaky(@Payload() _event: unknown): void {
    if (count(T.flaky).get(T.flaky) === 1) throw new Error('gateway timeout');
  }

  @EventPattern<Record<string, unknown>>(T.unfiltered)
  onUnfiltered(@Payload() _event: unknown): void {
    count(T.unfiltered);
    throw new PoisonMessageError('lost behind the default filter');
  }
}
@Module({ controllers: [UnfilteredHandlers] })
class UnfilteredModule {}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const inRoot = <T>(name: string, work: () => Promise<T>) => {
  const root = tracer.startSpan(name, { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  return context.with(trace.setSpan(ROOT_CONTEXT, root), work).finally(() => root.end()).then((result) => ({ root, result }));
};

describe('TracedServerKafka and TracedClientKafka on the real broker', () => {
  let app: INestMicroservice;
  let unfiltered: INestMicroservice;
  let client: TracedClientKafka;
  const loggedErrors: string[] = [];

  before(async () => {
    await assertStackReachable(['kafka', 'collector', 'tempo']);
    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = [...Object.values(T), `${T.charges}.dlq`, `${T.poison}.dlq`, `${T.unfiltered}.dlq`, `${T.quote}.reply`, retryTopicOf(T.flaky), `${T.flaky}.dlq`, retryTopicOf(T.unfiltered)];
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
    await admin.disconnect();

    app = await NestFactory.createMicroservice(TestModule, {
      logger: ['error'],
      strategy: new TracedServerKafka({
        client: { clientId: `it-${suffix}`, brokers, logLevel: logLevel.NOTHING },
        consumer: { groupId: `it-${suffix}` },
        subscribe: { fromBeginning: true },
        tracing: {
          switches: DEFAULT_TRACING_OPTIONS,
          retry: { maxAttempts: MAX_ATTEMPTS, initialDelayMs: 20, maxDelayMs: 100, multiplier: 2 },
          consumerAttributesHook: (record) => ({ 'order.id': headerText(record.key ?? undefined) ?? '' }),
        },
      }),
    });
    app.useGlobalFilters(new RethrowRpcErrorsFilter());
    await app.listen();

    unfiltered = await NestFactory.createMicroservice(UnfilteredModule, {
      logger: { log: () => undefined, warn: () => undefined, error: (message: unknown) => void loggedErrors.push(String(message)) } as unknown as Logger,
      strategy: new TracedServerKafka({
        client: { clientId: `it-unfiltered-${suffix}`, brokers, logLevel: logLevel.NOTHING },
        consumer: { groupId: `it-unfiltered-${suffix}` },
        subscribe: { fromBeginning: true },
        tracing: { switches: DEFAULT_TRACING_OPTIONS, retry: { mode: 'retry-topic', maxAttempts: MAX_ATTEMPTS, initialDelayMs: 300, maxDelayMs: 300, multiplier: 1 } },
      }),
    });
    await unfiltered.listen();

    client = new TracedClientKafka({
      client: { clientId: `it-client-${suffix}`, brokers, logLevel: logLevel.NOTHING },
      consumer: { groupId: `it-client-${suffix}` },
      tracing: { switches: DEFAULT_TRACING_OPTIONS, producerAttributesHook: (_topic, data) => ({ 'order.id': String((data as { key?: unknown }).key) }) },
    });
    client.subscribeToResponseOf(T.quote);
    await client.connect();
  });
  after(async () => {
    await client?.close();
    await app?.close();
    await unfiltered?.close();
    await tracing.shutdown();
  });

  it('emit: the handler runs inside its CONSUMER span, the child of the PRODUCER span', async () => {
    const { root: request } = await inRoot('POST /orders', () => lastValueFrom(client.emit(T.orders, { key: 'o-1', value: { orderId: 'o-1' } })));
    await waitUntil(() => seen.orders.length === 1, 'the order');
    await waitUntil(() => tracing.named(`process ${T.orders}`).length === 1, 'the CONSUMER span to end');
    const [producer] = tracing.named(`send ${T.orders}`);
    const [consumer] = tracing.named(`process ${T.orders}`);
    assert.ok(producer && consumer);
    assert.equal(tracing.named(`send ${T.orders}`).length, 1, 'one PRODUCER span per message');
    assert.equal(producer.parentSpanContext?.spanId, request.spanContext().spanId);
    assert.equal(consumer.parentSpanContext?.spanId, producer.spanContext().spanId);
    assert.deepEqual(consumer.links, [], 'no link to the context consumer.run() was called in');
    assert.equal(consumer.attributes['messaging.consumer.group.name'], `it-${suffix}-server`);
    assert.equal(consumer.attributes['order.id'], 'o-1');
    assert.equal(producer.attributes['order.id'], 'o-1');
    assert.deepEqual(seen.orders[0], { orderId: 'o-1', spanId: consumer.spanContext().spanId, traceId: request.spanContext().traceId });
    // The same edge, as stored by Tempo after the collector tier.
    await tracing.flush();
    const stored = await waitForTrace(new TempoClient(endpoints.tempoUrl), request.spanContext().traceId, { until: (spans) => spans.length >= 3 });
    assert.equal(stored?.find((span) => span.name === `process ${T.orders}`)?.parentSpanId, producer.spanContext().spanId);
  });

  it('emitBatch: every message gets its own PRODUCER span and context, with the batch size and its own attributes', async () => {
    const messages = [1, 2, 3].map((n) => ({ key: `o-b${n}`, value: { n } }));
    const { root } = await inRoot('POST /batch', () => lastValueFrom(client.emitBatch(T.batch, { messages })));
    await waitUntil(() => tracing.named(`process ${T.batch}`).length === 3, 'three CONSUMER spans');
    const producers = tracing.named(`send ${T.batch}`);
    assert.equal(producers.length, 3);
    assert.deepEqual(producers.map((span) => span.attributes['order.id']).sort(), ['o-b1', 'o-b2', 'o-b3']);
    assert.deepEqual(producers.map((span) => span.attributes['messaging.batch.message_count']), [3, 3, 3]);
    for (const consumer of tracing.named(`process ${T.batch}`)) {
      const producer = producers.find((span) => span.spanContext().spanId === consumer.parentSpanContext?.spanId);
      assert.ok(producer, 'each CONSUMER span is the child of one of the PRODUCER spans, not an orphan');
      assert.equal(consumer.spanContext().traceId, root.spanContext().traceId);
    }
  });

  it('send (request/response): the request is traced, and a handler error marks the span without retries', async () => {
    const { root, result } = await inRoot('GET /quote', () => lastValueFrom(client.send(T.quote, { key: 'o-q', value: { sku: 'abc' } })));
    assert.deepEqual(result, { sku: 'abc', price: 42 });
    const [request] = tracing.named(`send ${T.quote}`);
    assert.equal(request?.parentSpanContext?.spanId, root.spanContext().spanId);
    assert.equal(request?.attributes['order.id'], 'o-q');
    await waitUntil(() => tracing.named(`process ${T.quote}`).length === 1, 'the CONSUMER span');
    assert.equal(tracing.named(`process ${T.quote}`)[0]?.parentSpanContext?.spanId, request?.spanContext().spanId);

    // The caller gets what Nest's default filter would say; the span gets the real error.
    await assert.rejects(lastValueFrom(client.send(T.quote, { key: 'o-q2', value: { sku: 'unknown' } })), (error: unknown) => {
      assert.deepEqual(error, { status: 'error', message: 'Internal server error' });
      return true;
    });
    await waitUntil(() => tracing.named(`process ${T.quote}`).length === 2, 'the failed CONSUMER span');
    const failed = tracing.named(`process ${T.quote}`)[1]!;
    assert.equal(failed.status.code, SpanStatusCode.ERROR);
    assert.equal(failed.attributes['error.type'], 'RangeError');
    assert.equal(failed.status.message, 'no price for unknown');
    assert.equal(seen.calls.get(T.quote), 2, 'the failed request was answered, not retried');
  });

  it('a handler that always fails is retried, then dead-lettered with its trace and origin', async () => {
    const { root } = await inRoot('POST /charges', () => lastValueFrom(client.emit(T.charges, { key: 'o-2', value: { amount: 10 } })));
    await waitUntil(() => deadLettersOf(T.charges).length === 1, 'the dead letter');
    await waitUntil(() => tracing.named(`process ${T.charges}.dlq`).length === 1, 'the dead-letter CONSUMER span');
    const attempts = tracing.named(`process ${T.charges}`);
    assert.equal(seen.calls.get(T.charges), MAX_ATTEMPTS);
    assert.deepEqual(attempts.map((span) => span.attributes['mqtrace.delivery.attempt']), [1, 2, 3]);
    for (const attempt of attempts) {
      assert.equal(attempt.status.code, SpanStatusCode.ERROR);
      assert.equal(attempt.spanContext().traceId, root.spanContext().traceId);
    }
    const [dlqProducer] = tracing.named(`send ${T.charges}.dlq`);
    const [dlqConsumer] = tracing.named(`process ${T.charges}.dlq`);
    assert.equal(dlqProducer?.spanContext().traceId, root.spanContext().traceId);
    assert.equal(dlqProducer?.attributes['order.id'], 'o-2');
    assert.equal(dlqConsumer?.parentSpanContext?.spanId, dlqProducer?.spanContext().spanId);
    const [dead] = deadLettersOf(T.charges);
    assert.equal(dead?.traceId, root.spanContext().traceId);
    const header = (name: string) => headerText(dead?.headers[name]);
    assert.equal(header('traceparent')?.split('-')[2], dlqProducer?.spanContext().spanId);
    assert.equal(header(DEAD_LETTER_HEADERS.topic), T.charges);
    assert.equal(header(DEAD_LETTER_HEADERS.offset), '0');
    assert.equal(header(DEAD_LETTER_HEADERS.consumerGroup), `it-${suffix}-server`);
    assert.equal(header(DEAD_LETTER_HEADERS.attempts), String(MAX_ATTEMPTS));
    assert.equal(header(DEAD_LETTER_HEADERS.errorType), 'Error');
    assert.equal(header(DEAD_LETTER_HEADERS.errorMessage), 'card declined by a flaky processor');
  });

  it('a PoisonMessageError thrown through Nest is recognised and dead-lettered at once', async () => {
    await lastValueFrom(client.emit(T.poison, { key: 'o-3', value: 'not a charge' }));
    await waitUntil(() => deadLettersOf(T.poison).length === 1, 'the dead letter');
    assert.equal(seen.calls.get(T.poison), 1);
    assert.equal(headerText(deadLettersOf(T.poison)[0]?.headers[DEAD_LETTER_HEADERS.errorType]), 'PoisonMessageError');
  });

  it('retry-topic mode: the next attempt reaches the same @EventPattern handler through the retry topic', async () => {
    const { root } = await inRoot('POST /flaky', () => lastValueFrom(client.emit(T.flaky, { key: 'o-4', value: {} })));
    await waitUntil(() => tracing.named(`process ${retryTopicOf(T.flaky)}`).length === 1, 'the second attempt');
    assert.equal(seen.calls.get(T.flaky), 2);
    const [hop] = tracing.named(`send ${retryTopicOf(T.flaky)}`);
    const [second] = tracing.named(`process ${retryTopicOf(T.flaky)}`);
    assert.equal(second?.attributes['mqtrace.delivery.attempt'], 2);
    assert.equal(second?.status.code, SpanStatusCode.UNSET);
    assert.equal(second?.parentSpanContext?.spanId, hop?.spanContext().spanId);
    assert.equal(second?.spanContext().traceId, root.spanContext().traceId);
  });

  it('without RethrowRpcErrorsFilter nothing loops or is lost, and the lost error type is reported loudly', async () => {
    await lastValueFrom(client.emit(T.unfiltered, { key: 'o-5', value: {} }));
    await waitUntil(() => tracing.named(`send ${T.unfiltered}.dlq`).length === 1, 'the dead letter');
    assert.equal(seen.calls.get(T.unfiltered), MAX_ATTEMPTS, 'a poison error hidden by the default filter is retried like any other');
    const attempts = [...tracing.named(`process ${T.unfiltered}`), ...tracing.named(`process ${retryTopicOf(T.unfiltered)}`)];
    assert.ok(attempts.every((span) => span.status.code === SpanStatusCode.ERROR && span.status.message === 'Internal server error'));
    assert.equal(loggedErrors.filter((message) => message.includes('Install RethrowRpcErrorsFilter')).length, 1);
  });
});
