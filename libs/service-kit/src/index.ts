// @mqtrace/service-kit: what the five services share, so each app stays a thin
// composition: configuration, logging, health, the Kafka wiring, status events, and the
// start and shutdown order.

// Configuration from the environment, validated at start.
export { BASE_SERVICE_ENV, httpPort, loadServiceConfig, loadServiceConfigOrExit, ServiceConfigError } from './service-config.js';

// JSON logs with trace ids.
export { REDACTED_LOG_PATHS, serviceLoggerModule, traceLogFields, type ServiceLoggerOptions } from './logging.js';

// Liveness and readiness.
export { HealthController, READINESS_CHECK_TIMEOUT_MS, ReadinessChecks, type ReadinessCheck, type ReadinessReport } from './health.js';

// Kafka: the traced consumer and producers, with order.id on every span.
export { KAFKA_PRODUCER, kafkaProducerModule, ORDER_ID_ATTRIBUTE, orderIdOfRecord, serviceKafkaConsumer, type ProducerModuleOptions, type ServiceConsumerOptions } from './kafka.js';

// Sends whose caller waits on the acknowledgement: held back while Kafka is away.
export { KafkaSendGate, KafkaUnavailableError, type BrokerProbe, type SendGateOptions } from './send-gate.js';

// Consumed records: decoded into their contract, or poison.
export { decodeConsumed } from './consumed-message.js';
export { deadLetterFacts, type DeadLetterFacts } from './dead-letter-facts.js';

// The order timeline: one status event per step.
export { SERVICE_NAME, StatusPublisher } from './status-publisher.js';

// The module every app imports, and the start.
export { ServiceKitModule, type BaseServiceConfig } from './service-kit.module.js';
export { startService, type StartServiceOptions } from './start-service.js';

// Graceful shutdown: stop fetching, finish the record in hand, commit, flush spans, exit.
export { DEFAULT_SHUTDOWN_TIMEOUT_MS, exitGracefullyOnSignals, type Closable, type GracefulExitOptions } from './shutdown.js';
