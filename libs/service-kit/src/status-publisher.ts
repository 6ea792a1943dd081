import { Inject, Injectable } from '@nestjs/common';
import type { ClientKafka } from '@nestjs/microservices';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { lastValueFrom } from 'rxjs';
import { OrderStatusEvent, statusEventId, TOPICS, type OrderStatus } from '@mqtrace/contracts';
import { KAFKA_PRODUCER } from './kafka.js';

/** Injection token of the service's name, as it appears in status events. */
export const SERVICE_NAME = 'SERVICE_NAME';

/**
 * Publishes a step of an order's journey to `orders.status` (the timeline order-api
 * shows), inside the active span: the PRODUCER span is its child and the event names
 * the trace, so the timeline leads to it. The event id follows from the order and the
 * status, so a step published again (after a redelivery) is recognised and ignored.
 */
@Injectable()
export class StatusPublisher {
  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: ClientKafka,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /** Resolves once Kafka acknowledged the event. */
  async publish(orderId: string, status: OrderStatus, detail?: string): Promise<OrderStatusEvent> {
    const active = trace.getActiveSpan()?.spanContext();
    const event = OrderStatusEvent.parse({
      eventId: statusEventId(orderId, status),
      orderId,
      status,
      service: this.service,
      at: new Date().toISOString(),
      ...(active && isSpanContextValid(active) ? { traceId: active.traceId } : {}),
      ...(detail ? { detail } : {}),
    });
    await lastValueFrom(this.producer.emit(TOPICS.ordersStatus, { key: orderId, value: event }));
    return event;
  }
}
