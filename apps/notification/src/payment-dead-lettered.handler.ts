import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { OrderId, TOPICS } from '@mqtrace/contracts';
import { deadLetterFacts, StatusPublisher } from '@mqtrace/service-kit';

/**
 * `payments.charge.dlq` → an ops alert (an error log line) and `payment-dead-lettered` on
 * the order's timeline, inside the CONSUMER span of the dead-letter record, so in the
 * trace of the payment that failed. Whatever the record holds (a charge that failed every
 * attempt, or a value that was never a charge) is fine: only its headers and key are
 * read. It fails only when the status event cannot be published; then the transport
 * retries it like any record (the alert is logged again).
 */
@Controller()
export class PaymentDeadLetteredHandler {
  private readonly logger = new Logger(PaymentDeadLetteredHandler.name);

  constructor(private readonly status: StatusPublisher) {}

  @EventPattern<Record<string, unknown>>(TOPICS.paymentsChargeDlq)
  async alert(@Payload() _value: unknown, @Ctx() kafka: unknown): Promise<void> {
    const { key, ...facts } = deadLetterFacts(kafka as KafkaContext);
    const orderId = OrderId.safeParse(key);
    this.logger.error({ alert: 'payment-dead-lettered', orderId: orderId.data, ...facts }, 'OPS ALERT: a payment was dead-lettered');
    if (orderId.success) {
      await this.status.publish(orderId.data, 'payment-dead-lettered', `${facts.errorType ?? 'unknown error'} after ${facts.attempts ?? '?'} attempt(s)`);
    }
  }
}
