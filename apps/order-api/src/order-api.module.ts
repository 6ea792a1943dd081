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
      // One attempt per send, settled (acknowledged, or given up for good) within 80 % of the
      // answer's deadline: a 503 is not followed by the order being written after all, and
      // a slow but successful write is not sent a second time (a retry after a request
      // timeout writes the order twice; the client is the one to try again, after a 503).
      imports: [ServiceKitModule.forRoot(SERVICE_NAME, config, { sendTimeoutMs: Math.round(config.ORDER_PUBLISH_TIMEOUT_MS * 0.8), sendRetries: 0 })],
      controllers: [OrdersController, OrderStatusHandler],
      providers: [OrderTimelines, { provide: ORDER_PUBLISH_TIMEOUT_MS, useValue: config.ORDER_PUBLISH_TIMEOUT_MS }],
    };
  }
}
