// payments. Started with `node --import @mqtrace/telemetry/register`, so OpenTelemetry
// runs before anything below is loaded.
import 'reflect-metadata';
import { serviceKafkaConsumer, startService } from '@mqtrace/service-kit';
import { loadConfig, SERVICE_NAME } from './config.js';
import { PaymentsModule } from './payments.module.js';

const config = loadConfig();
await startService({
  module: PaymentsModule.register(config),
  port: config.PORT,
  host: config.HOST,
  consumer: serviceKafkaConsumer({
    serviceName: SERVICE_NAME,
    brokers: config.KAFKA_BROKERS,
    retry: {
      mode: config.PAYMENTS_RETRY_MODE,
      maxAttempts: config.PAYMENTS_MAX_ATTEMPTS,
      initialDelayMs: config.PAYMENTS_RETRY_INITIAL_DELAY_MS,
      maxDelayMs: config.PAYMENTS_RETRY_MAX_DELAY_MS,
      multiplier: 2,
    },
  }),
});
