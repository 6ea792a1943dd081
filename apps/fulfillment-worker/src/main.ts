// fulfillment-worker. Started with `node --import @mqtrace/telemetry/register`, so
// OpenTelemetry runs before anything below is loaded.
import 'reflect-metadata';
import { serviceKafkaConsumer, startService } from '@mqtrace/service-kit';
import { loadConfig, SERVICE_NAME } from './config.js';
import { FulfillmentModule } from './fulfillment.module.js';

const config = loadConfig();
await startService({
  module: FulfillmentModule.register(config),
  port: config.PORT,
  host: config.HOST,
  consumers: { kafka: serviceKafkaConsumer({ serviceName: SERVICE_NAME, brokers: config.KAFKA_BROKERS, sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS }) },
});
