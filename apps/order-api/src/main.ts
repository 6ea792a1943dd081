// order-api. Started with `node --import @mqtrace/telemetry/register`, so OpenTelemetry
// runs before anything below is loaded.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@mqtrace/contracts';
import { KafkaSendGate, ReadinessChecks, serviceKafkaConsumer, startService } from '@mqtrace/service-kit';
import { loadConfig, SERVICE_NAME } from './config.js';
import { acceptJsonBodies } from './json-body.js';
import { OrderApiModule } from './order-api.module.js';
import { OrderTimelines } from './order-timelines.js';
import { serveOpenApi } from './openapi.js';
import { timelineReadiness } from './timeline-readiness.js';

const config = loadConfig();
// A group of its own per process: every start reads orders.status from the beginning and
// rebuilds the timelines; two replicas each hold all of them. It commits as it reads, for
// this process's life only: a consumer that rejoins (after a broker restart) goes on from
// where it was instead of replaying the whole topic while requests wait.
const consumer = serviceKafkaConsumer({ serviceName: SERVICE_NAME, brokers: config.KAFKA_BROKERS, groupId: `${SERVICE_NAME}-timeline-${randomUUID()}`, sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS });
await startService({
  module: OrderApiModule.register(config),
  port: config.PORT,
  host: config.HOST,
  consumers: { kafka: consumer },
  http: { bodyParser: false },
  configure: (app) => {
    acceptJsonBodies(app);
    serveOpenApi(app, config.SERVICE_VERSION);
    const gate = app.get(KafkaSendGate);
    app.get(ReadinessChecks).add('timelines', timelineReadiness(app.get(OrderTimelines), () => consumer.endOffsets(TOPICS.ordersStatus)));
    app.get(ReadinessChecks).add('orders', () => Promise.resolve(gate.readiness()));
  },
});
