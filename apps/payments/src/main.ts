// payments. Started with `node --import @mqtrace/telemetry/register`, so OpenTelemetry
// runs before anything below is loaded.
import 'reflect-metadata';
import { serviceKafkaConsumer, startService } from '@mqtrace/service-kit';
import { loadConfig, SERVICE_NAME } from './config.js';
import { PaymentsModule } from './payments.module.js';
import { RECONCILIATION_TRANSPORT } from './reconciliation-item.handler.js';

const config = loadConfig();
const charges = serviceKafkaConsumer({
  serviceName: SERVICE_NAME,
  brokers: config.KAFKA_BROKERS,
  sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
  retry: {
    mode: config.PAYMENTS_RETRY_MODE,
    maxAttempts: config.PAYMENTS_MAX_ATTEMPTS,
    initialDelayMs: config.PAYMENTS_RETRY_INITIAL_DELAY_MS,
    maxDelayMs: config.PAYMENTS_RETRY_MAX_DELAY_MS,
    multiplier: 2,
  },
});
// A consumer of its own for the reconciliation queue: it commits an item only once a
// run has reconciled it, so an item queued before a crash is reconciled after it.
const reconciliation = serviceKafkaConsumer({
  serviceName: SERVICE_NAME,
  brokers: config.KAFKA_BROKERS,
  sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
  groupId: `${SERVICE_NAME}-reconciliation`,
  commitOffsets: false,
  transportId: RECONCILIATION_TRANSPORT,
});
await startService({
  module: PaymentsModule.register(config, reconciliation),
  port: config.PORT,
  host: config.HOST,
  consumers: { kafka: charges, reconciliation },
});
