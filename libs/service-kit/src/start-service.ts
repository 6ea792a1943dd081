import type { DynamicModule, INestApplication, NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RethrowRpcErrorsFilter, type TracedServerKafka } from '@mqtrace/nest-kafka-tracing';
import { Logger } from 'nestjs-pino';
import { ReadinessChecks } from './health.js';
import { exitGracefullyOnSignals } from './shutdown.js';

/** Options of {@link startService}. */
export interface StartServiceOptions {
  /** The app's module; it imports `ServiceKitModule.forRoot(...)`. */
  readonly module: Type<unknown> | DynamicModule;
  /** HTTP port and address (health endpoints, and the API of an HTTP service). */
  readonly port: number;
  readonly host: string;
  /**
   * The service's Kafka consumers (`serviceKafkaConsumer`) by readiness check name,
   * usually one: `{ kafka: consumer }`.
   */
  readonly consumers?: Readonly<Record<string, TracedServerKafka>>;
  /** Nest application options (for example `bodyParser: false`). */
  readonly http?: NestApplicationOptions;
  /** Last touches on the HTTP application before it listens (pipes, OpenAPI...). */
  readonly configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts a service the same way everywhere. OpenTelemetry is already running (the
 * process was started with `node --import @mqtrace/telemetry/register`); then:
 *
 * 1. the Nest application, logging through pino from its first line;
 * 2. each Kafka consumer as a connected microservice, with `RethrowRpcErrorsFilter` so
 *    handler errors keep their type (poison vs. retriable), and its readiness check;
 * 3. graceful shutdown on SIGTERM/SIGINT;
 * 4. HTTP listens first, so the health endpoints answer while Kafka is still out of
 *    reach; the consumer connects in the background and keeps trying (not-ready, never a
 *    crash loop).
 */
export async function startService({ module, port, host, consumers = {}, http = {}, configure }: StartServiceOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true, ...http });
  const logger = app.get(Logger);
  app.useLogger(logger);
  const kafka = Object.entries(consumers);
  if (kafka.length > 0) {
    // The microservices inherit the application's filters: a connected microservice's
    // handlers exist before it could be given its own. RethrowRpcErrorsFilter acts only on
    // Kafka handlers and handles HTTP exactly as Nest's default filter does.
    app.useGlobalFilters(new RethrowRpcErrorsFilter(app.getHttpAdapter()));
  }
  for (const [name, consumer] of kafka) {
    app.connectMicroservice({ strategy: consumer }, { inheritAppConfig: true });
    app.get(ReadinessChecks).add(name, () => consumer.readiness());
  }
  await configure?.(app);
  exitGracefullyOnSignals(app, { log: (message) => logger.log(message, 'Shutdown') });
  await app.listen(port, host);
  logger.log(`listening on http://${host}:${port}`, 'Bootstrap');
  if (kafka.length > 0) {
    app.startAllMicroservices().catch((error: unknown) => logger.error(`Kafka consumer failed: ${String(error)}`, 'Bootstrap'));
  }
  return app;
}
