import { Module, type DynamicModule } from '@nestjs/common';
import { kafkaProducerModule, ServiceKitModule } from '@mqtrace/service-kit';
import { SERVICE_NAME, type FulfillmentConfig } from './config.js';
import { FANOUT_PRODUCER, OrderPlacedHandler, UNIT_PRICE_MINOR } from './order-placed.handler.js';

/** fulfillment-worker: the service kit, a fan-out producer and the `orders.placed` handler. */
@Module({})
export class FulfillmentModule {
  static register(config: FulfillmentConfig): DynamicModule {
    return {
      module: FulfillmentModule,
      imports: [
        ServiceKitModule.forRoot(SERVICE_NAME, config),
        kafkaProducerModule({ serviceName: SERVICE_NAME, brokers: config.KAFKA_BROKERS, token: FANOUT_PRODUCER, relation: 'fanout' }),
      ],
      controllers: [OrderPlacedHandler],
      providers: [{ provide: UNIT_PRICE_MINOR, useValue: config.UNIT_PRICE_MINOR }],
    };
  }
}
