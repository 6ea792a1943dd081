import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { NotificationSend, TOPICS } from '@mqtrace/contracts';
import { decodeConsumed, StatusPublisher } from '@mqtrace/service-kit';

/**
 * `notifications.send` → a (simulated) message to the customer and `notification-sent` on
 * the timeline. Logs ids and the template only: no names or addresses travel or get logged.
 */
@Controller()
export class SendNotificationHandler {
  private readonly logger = new Logger(SendNotificationHandler.name);

  constructor(private readonly status: StatusPublisher) {}

  @EventPattern<Record<string, unknown>>(TOPICS.notificationsSend)
  async send(@Payload() value: unknown): Promise<void> {
    const { orderId, customerId, template } = decodeConsumed(TOPICS.notificationsSend, NotificationSend, value);
    this.logger.log({ orderId, customerId, template }, 'notification sent (simulated)');
    await this.status.publish(orderId, 'notification-sent', template);
  }
}
