import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { TracedServerKafka } from '@mqtrace/nest-kafka-tracing';
import { ServiceKitModule } from '@mqtrace/service-kit';
import { ChargeHandler } from './charge.handler.js';
import { SERVICE_NAME, type PaymentsConfig } from './config.js';
import { PaymentGateway } from './payment-gateway.js';
import { ReconciliationItemHandler } from './reconciliation-item.handler.js';
import { ReconciliationQueue } from './reconciliation-queue.js';
import { RECONCILIATION_CONSUMER, RECONCILIATION_INTERVAL_MS, ReconciliationJob } from './reconciliation.job.js';

/** payments: the service kit, the simulated gateway, the charge handler and the reconciliation job. */
@Module({})
export class PaymentsModule {
  static register(config: PaymentsConfig, reconciliationConsumer: TracedServerKafka): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [ServiceKitModule.forRoot(SERVICE_NAME, config), ScheduleModule.forRoot()],
      controllers: [ChargeHandler, ReconciliationItemHandler],
      providers: [
        { provide: PaymentGateway, useValue: new PaymentGateway() },
        ReconciliationQueue,
        ReconciliationJob,
        { provide: RECONCILIATION_INTERVAL_MS, useValue: config.RECONCILIATION_INTERVAL_MS },
        { provide: RECONCILIATION_CONSUMER, useValue: reconciliationConsumer },
      ],
    };
  }
}
