import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
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
export class StatusPublisher implements BeforeApplicationShutdown {
  /** Steps {@link publishPersistently} is still trying to publish. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: ClientKafka,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /** Resolves once Kafka acknowledged the event. */
  async publish(orderId: string, status: OrderStatus, detail?: string): Promise<OrderStatusEvent> {
    return this.send(this.event(orderId, status, detail));
  }

  /** The event of a step taken now, in the active span's trace. */
  private event(orderId: string, status: OrderStatus, detail?: string): OrderStatusEvent {
    const active = trace.getActiveSpan()?.spanContext();
    return OrderStatusEvent.parse({
      eventId: statusEventId(orderId, status),
      orderId,
      status,
      service: this.service,
      at: new Date().toISOString(),
      ...(active && isSpanContextValid(active) ? { traceId: active.traceId } : {}),
      ...(detail ? { detail } : {}),
    });
  }

  private async send(event: OrderStatusEvent): Promise<OrderStatusEvent> {
    await lastValueFrom(this.producer.emit(TOPICS.ordersStatus, { key: event.orderId, value: event }));
    return event;
  }

  /**
   * Publishes like {@link publish}, trying again (1 s, 2 s, … up to 10 s apart) until Kafka
   * acknowledges or `giveUpAfterMs` passes. For a step nothing else would publish again
   * (a consumer's step is, by the redelivery of its record): order-api's `placed`, whose
   * order Kafka acknowledged just before it stopped answering. Every attempt sends the
   * same event (the step's time is when it was taken). A graceful shutdown waits a little
   * for these.
   */
  publishPersistently(orderId: string, status: OrderStatus, { giveUpAfterMs = 300_000 }: { readonly giveUpAfterMs?: number } = {}): Promise<OrderStatusEvent> {
    const giveUpAt = Date.now() + giveUpAfterMs;
    const event = this.event(orderId, status);
    const attempt = async (pauseMs: number): Promise<OrderStatusEvent> => {
      try {
        return await this.send(event);
      } catch (error) {
        if (Date.now() + pauseMs > giveUpAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        return attempt(Math.min(pauseMs * 2, 10_000));
      }
    };
    const published = attempt(1_000);
    this.pending.add(published);
    void published.catch(() => undefined).finally(() => this.pending.delete(published));
    return published;
  }

  /** Gives steps still being published up to 5 s (Nest calls this before closing the producer). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.pending.size === 0) return;
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  }
}
