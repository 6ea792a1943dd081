import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload, Transport, type ClientKafka } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { PaymentCharge, TOPICS, type ReconciliationItem } from '@mqtrace/contracts';
import { captureTraceContext } from '@mqtrace/nest-kafka-tracing';
import { decodeConsumed, KAFKA_PRODUCER, StatusPublisher } from '@mqtrace/service-kit';
import { PaymentGateway } from './payment-gateway.js';

/**
 * `payments.charge` (and its retry topic) → the gateway. Charged: `payment-charged` on
 * the timeline, and the payment queued on `payments.reconciliation` with the trace
 * context it was charged in. Declined: `payment-declined` (a business outcome). A gateway
 * timeout is thrown: the transport retries the record, then dead-letters it to
 * `payments.charge.dlq`, each attempt its own CONSUMER span in the same trace.
 */
@Controller()
export class ChargeHandler {
  private readonly logger = new Logger(ChargeHandler.name);

  constructor(
    private readonly gateway: PaymentGateway,
    private readonly status: StatusPublisher,
    @Inject(KAFKA_PRODUCER) private readonly producer: ClientKafka,
  ) {}

  // Only on the charges consumer (Nest's Kafka transport id), not the reconciliation one.
  @EventPattern<Record<string, unknown>>(TOPICS.paymentsCharge, Transport.KAFKA)
  async charge(@Payload() value: unknown): Promise<void> {
    const { orderId, amountMinor, currency, paymentMethod } = decodeConsumed(TOPICS.paymentsCharge, PaymentCharge, value);
    const outcome = this.gateway.charge(orderId, paymentMethod);
    if (!outcome.approved) {
      this.logger.log({ orderId, reason: outcome.reason }, 'payment declined');
      await this.status.publish(orderId, 'payment-declined', outcome.reason);
      return;
    }
    this.logger.log({ orderId, amountMinor, currency }, 'payment charged');
    await this.status.publish(orderId, 'payment-charged', `${amountMinor} ${currency} (minor units)`);
    const item: ReconciliationItem = { orderId, amountMinor, currency, chargedAt: new Date().toISOString(), traceContext: captureTraceContext() };
    await lastValueFrom(this.producer.emit(TOPICS.paymentsReconciliation, { key: orderId, value: item }));
  }
}
