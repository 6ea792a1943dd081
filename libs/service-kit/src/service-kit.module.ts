import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { z } from 'zod';
import { HealthController, ReadinessChecks } from './health.js';
import type { TracedClientKafka } from '@mqtrace/nest-kafka-tracing';
import { KAFKA_PRODUCER, kafkaProducerModule, type ProducerModuleOptions } from './kafka.js';
import { serviceLoggerModule } from './logging.js';
import type { BASE_SERVICE_ENV } from './service-config.js';
import { KafkaSendGate } from './send-gate.js';
import { SERVICE_NAME, StatusPublisher } from './status-publisher.js';

/** The settings every service has (from `BASE_SERVICE_ENV`). */
export type BaseServiceConfig = z.infer<typeof BASE_SERVICE_ENV>;

/**
 * What every service imports once: JSON logs with trace ids, `GET /health/live` and
 * `GET /health/ready`, the traced Kafka producer (`KAFKA_PRODUCER`) and the
 * {@link StatusPublisher}, and the {@link KafkaSendGate} in front of that producer for
 * callers that wait on the acknowledgement. Global, so handlers inject them without further imports.
 * `producerOptions`: for a service whose callers wait on the acknowledgement, how long a
 * send may take and how often it is retried (see `kafkaProducerModule`).
 */
@Module({})
export class ServiceKitModule {
  static forRoot(serviceName: string, { SERVICE_VERSION, LOG_LEVEL, KAFKA_BROKERS }: BaseServiceConfig, producerOptions: Pick<ProducerModuleOptions, 'sendTimeoutMs' | 'sendRetries'> = {}): DynamicModule {
    const producer = kafkaProducerModule({ serviceName, brokers: KAFKA_BROKERS, ...producerOptions });
    return {
      module: ServiceKitModule,
      global: true,
      imports: [serviceLoggerModule({ serviceName, serviceVersion: SERVICE_VERSION, level: LOG_LEVEL }), TerminusModule.forRoot({ errorLogStyle: 'json' }), producer],
      controllers: [HealthController],
      providers: [
        ReadinessChecks,
        StatusPublisher,
        { provide: SERVICE_NAME, useValue: serviceName },
        { provide: KafkaSendGate, inject: [KAFKA_PRODUCER], useFactory: (client: TracedClientKafka) => new KafkaSendGate((timeoutMs) => client.brokerAnswers(timeoutMs)) },
      ],
      exports: [ReadinessChecks, StatusPublisher, SERVICE_NAME, KafkaSendGate, producer],
    };
  }
}
