import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { TOPICS } from '@mqtrace/contracts';
import { deadLetterFacts } from '@mqtrace/service-kit';

/** The dead-letter topics that raise an ops alert only (payments' has its own handler). */
export const ALERTED_DEAD_LETTER_TOPICS = [TOPICS.ordersPlacedDlq, TOPICS.inventoryReserveDlq, TOPICS.notificationsSendDlq, TOPICS.paymentsReconciliationDlq];

/**
 * Every other dead-letter topic → an ops alert (an error log line with where the record
 * came from and why it failed), inside the CONSUMER span of the dead-letter record, so
 * in the trace of the record that failed. It only logs, so it cannot fail.
 */
@Controller()
export class DeadLetterAlertHandler {
  private readonly logger = new Logger(DeadLetterAlertHandler.name);

  @EventPattern(ALERTED_DEAD_LETTER_TOPICS)
  alert(@Payload() _value: unknown, @Ctx() kafka: KafkaContext): void {
    const { key, ...facts } = deadLetterFacts(kafka);
    this.logger.error({ alert: 'record-dead-lettered', deadLetterTopic: kafka.getTopic(), key, ...facts }, 'OPS ALERT: a record was dead-lettered');
  }
}
