// With the services' auto-instrumentations registered (ESM hook included, as
// `@mqtrace/telemetry/register` does), one message still yields exactly one PRODUCER and
// one CONSUMER span, and the consumer's parent is the library's producer span: nothing
// else creates messaging spans or rewrites the traceparent header. Enabling
// instrumentation-kafkajs in serviceInstrumentations() makes this test fail.
import 'reflect-metadata';
import { register } from 'node:module';
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { DEFAULT_TRACING_OPTIONS, headerText, type MessageHeaders } from '@mqtrace/kafka-tracing';
import { installInMemoryTracing } from '@mqtrace/kafka-tracing/testing';
import { serviceInstrumentations } from '@mqtrace/telemetry';

const tracing = installInMemoryTracing();
const disableInstrumentations = registerInstrumentations({ instrumentations: serviceInstrumentations() });

// Loaded only now, so the instrumentations could patch them if they were enabled.
const { Controller, Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { Ctx, EventPattern, Payload } = await import('@nestjs/microservices');
const { Kafka, logLevel } = await import('kafkajs');
const { lastValueFrom } = await import('rxjs');
const { TracedClientKafka } = await import('./traced-client-kafka.js');
const { TracedServerKafka } = await import('./traced-server-kafka.js');

const endpoints = stackEndpoints();
const TOPIC = `it.auto.${randomBytes(4).toString('hex')}`;
const received: MessageHeaders[] = [];

@Controller()
class Handler {
  @EventPattern<Record<string, unknown>>(TOPIC)
  onEvent(@Payload() _data: unknown, @Ctx() kafka: unknown): void {
    received.push((kafka as { getMessage(): { headers?: MessageHeaders } }).getMessage().headers ?? {});
  }
}

@Module({ controllers: [Handler] })
class HandlerModule {}

describe('the library with the services auto-instrumentation', () => {
  const brokers = [...endpoints.kafkaBrokers];
  const app = NestFactory.createMicroservice(HandlerModule, {
    logger: ['error'],
    strategy: new TracedServerKafka({
      client: { clientId: TOPIC, brokers, logLevel: logLevel.NOTHING },
      consumer: { groupId: TOPIC },
      subscribe: { fromBeginning: true },
      tracing: { switches: DEFAULT_TRACING_OPTIONS },
    }),
  });
  const client = new TracedClientKafka({ client: { clientId: `${TOPIC}-client`, brokers, logLevel: logLevel.NOTHING }, producerOnlyMode: true, tracing: { switches: DEFAULT_TRACING_OPTIONS } });

  before(async () => {
    await assertStackReachable(['kafka']);
    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    await (await app).listen();
    await client.connect();
  });
  after(async () => {
    await client.close();
    await (await app).close();
    disableInstrumentations();
    await tracing.shutdown();
  });

  it('one send and one process span per message, parent and header untouched', async () => {
    const root = trace.getTracer('test').startSpan('root', {}, ROOT_CONTEXT);
    await context.with(trace.setSpan(ROOT_CONTEXT, root), () => lastValueFrom(client.emit(TOPIC, { key: 'k', value: { n: 1 } })));
    root.end();
    const deadline = Date.now() + 30_000;
    while (tracing.named(`process ${TOPIC}`).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

    const sends = tracing.spans().filter((span) => span.name === `send ${TOPIC}` || span.name === `${TOPIC} send` || span.name === `publish ${TOPIC}`);
    const processes = tracing.spans().filter((span) => span.name === `process ${TOPIC}` || span.name === `${TOPIC} process`);
    assert.equal(sends.length, 1, `PRODUCER spans: ${sends.map((span) => span.instrumentationScope.name).join(', ')}`);
    assert.equal(processes.length, 1, `CONSUMER spans: ${processes.map((span) => span.instrumentationScope.name).join(', ')}`);
    assert.equal(processes[0]?.parentSpanContext?.spanId, sends[0]?.spanContext().spanId);
    assert.equal(headerText(received[0]?.['traceparent'])?.split('-')[2], sends[0]?.spanContext().spanId);
  });
});
