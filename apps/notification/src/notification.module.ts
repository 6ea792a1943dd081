import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule } from '@mqtrace/service-kit';
import { SERVICE_NAME, type NotificationConfig } from './config.js';
import { DeadLetterAlertHandler } from './dead-letter-alert.handler.js';
import { PaymentDeadLetteredHandler } from './payment-dead-lettered.handler.js';
import { SendNotificationHandler } from './send-notification.handler.js';

/** notification: the service kit and its two handlers. */
@Module({})
export class NotificationModule {
  static register(config: NotificationConfig): DynamicModule {
    return {
      module: NotificationModule,
      imports: [ServiceKitModule.forRoot(SERVICE_NAME, config)],
      controllers: [SendNotificationHandler, PaymentDeadLetteredHandler, DeadLetterAlertHandler],
    };
  }
}
