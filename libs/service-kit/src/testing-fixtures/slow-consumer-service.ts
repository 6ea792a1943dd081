// A Kafka service in miniature, run by shutdown.integration.spec.ts as
// `node --import @mqtrace/telemetry/register slow-consumer-service.ts`: a NestJS
// microservice on TracedServerKafka whose handler takes FIXTURE_HANDLER_MS, shut down by
// exitGracefullyOnSignals. It prints `started <offset>` and `finished <offset>` per record.
import 'reflect-metadata';
import { setTimeout as delay } from 'node:timers/promises';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { logLevel } from 'kafkajs';
import { stackEndpoints } from '@mqtrace/config';
import { TracedServerKafka } from '@mqtrace/nest-kafka-tracing';
import { exitGracefullyOnSignals } from '../shutdown.js';

const topic = process.env['FIXTURE_TOPIC'] ?? 'fixture';
const handlerMs = Number(process.env['FIXTURE_HANDLER_MS'] ?? '1500');

@Controller()
class SlowHandler {
  @EventPattern<Record<string, unknown>>(topic)
  async handle(@Payload() _event: unknown, @Ctx() kafka: unknown): Promise<void> {
    const offset = (kafka as KafkaContext).getMessage().offset;
    console.log(`started ${offset}`);
    await delay(handlerMs);
    console.log(`finished ${offset}`);
  }
}
@Module({ controllers: [SlowHandler] })
class FixtureModule {}

const app = await NestFactory.createMicroservice(FixtureModule, {
  logger: ['error'],
  strategy: new TracedServerKafka({
    client: { clientId: `fixture-${process.pid}`, brokers: [...stackEndpoints().kafkaBrokers], logLevel: logLevel.NOTHING },
    consumer: { groupId: process.env['FIXTURE_GROUP'] ?? 'fixture' },
    subscribe: { fromBeginning: true },
  }),
});
exitGracefullyOnSignals(app, { log: (message) => console.log(message) });
await app.listen();
console.log('listening');
