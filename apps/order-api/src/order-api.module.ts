import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule } from '@mqtrace/service-kit';
import { SERVICE_NAME, type OrderApiConfig } from './config.js';
import { OrderStatusHandler } from './order-status.handler.js';
import { OrderTimelines } from './order-timelines.js';
import { ORDER_PUBLISH_TIMEOUT_MS, OrdersController } from './orders.controller.js';

/** order-api: the service kit, the orders endpoints and the timeline projection. */
@Module({})
export class OrderApiModule {
  static register(config: OrderApiConfig): DynamicModule {
    return {
      module: OrderApiModule,
      imports: [ServiceKitModule.forRoot(SERVICE_NAME, config)],
      controllers: [OrdersController, OrderStatusHandler],
      providers: [OrderTimelines, { provide: ORDER_PUBLISH_TIMEOUT_MS, useValue: config.ORDER_PUBLISH_TIMEOUT_MS }],
    };
  }
}
