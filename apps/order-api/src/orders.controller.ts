import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Logger, NotFoundException, Param, ParseUUIDPipe, Post, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import type { ClientKafka } from '@nestjs/microservices';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { getRPCMetadata } from '@opentelemetry/core';
import { context, trace } from '@opentelemetry/api';
import { firstValueFrom, timeout } from 'rxjs';
import { PlaceOrderRequest, TOPICS, type OrderPlaced } from '@mqtrace/contracts';
import { KAFKA_PRODUCER, KafkaSendGate, KafkaUnavailableError, ORDER_ID_ATTRIBUTE, StatusPublisher } from '@mqtrace/service-kit';
import { JsonContentTypeGuard } from './json-content-type.guard.js';
import { OrderTimelines } from './order-timelines.js';
import { API_SCHEMAS } from './openapi-schemas.js';
import { ZodBodyPipe } from './zod-body.pipe.js';

/** Injection token of the longest wait for Kafka's acknowledgement. */
export const ORDER_PUBLISH_TIMEOUT_MS = 'ORDER_PUBLISH_TIMEOUT_MS';

/** `{ orderId, traceId }`: what `POST /orders` answers. */
export interface OrderAccepted {
  readonly orderId: string;
  readonly traceId: string;
}

/** What a `503` asks the client to wait before trying again, in seconds. */
const RETRY_AFTER_SECONDS = '1';

/**
 * `POST /orders` and `GET /orders/:id`. An order is accepted (`202`) only once Kafka has
 * acknowledged its `orders.placed` record; a request that breaks the contract publishes
 * nothing. Sends go through the {@link KafkaSendGate}: once one has failed, orders are
 * refused at once, with nothing sent, until a broker answers again, and then until Kafka
 * has acknowledged a first one.
 */
@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  private readonly logger = new Logger(OrdersController.name);

  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: ClientKafka,
    @Inject(ORDER_PUBLISH_TIMEOUT_MS) private readonly publishTimeoutMs: number,
    private readonly status: StatusPublisher,
    private readonly timelines: OrderTimelines,
    private readonly gate: KafkaSendGate,
  ) {}

  @Post()
  @HttpCode(202)
  @UseGuards(JsonContentTypeGuard)
  @ApiOperation({ summary: 'Place an order', description: 'Answers once Kafka has acknowledged the order; the trace id leads to its journey.' })
  @ApiBody({ schema: API_SCHEMAS.placeOrderRequest })
  @ApiResponse({ status: 202, description: 'Accepted; also in the `x-trace-id` header', schema: API_SCHEMAS.orderAccepted })
  @ApiResponse({ status: 400, description: 'Not valid JSON, or breaks the contract (field errors)', schema: API_SCHEMAS.error })
  @ApiResponse({ status: 413, description: 'Body over 64 KiB', schema: API_SCHEMAS.error })
  @ApiResponse({ status: 415, description: 'Body is not application/json', schema: API_SCHEMAS.error })
  @ApiResponse({ status: 503, description: 'Kafka is away or did not acknowledge in time: the order was not placed (see the README for the one rare exception); try again after `Retry-After` seconds', schema: API_SCHEMAS.error })
  async place(@Body(new ZodBodyPipe(PlaceOrderRequest)) request: PlaceOrderRequest, @Res({ passthrough: true }) response: { setHeader(name: string, value: string): void }): Promise<OrderAccepted> {
    const orderId = randomUUID();
    const deadline = Date.now() + this.publishTimeoutMs;
    markSpans(orderId);
    const order: OrderPlaced = { ...request, orderId, placedAt: new Date().toISOString() };
    try {
      await this.gate.pass(() => firstValueFrom(this.producer.emit(TOPICS.ordersPlaced, { key: orderId, value: order }).pipe(timeout(this.publishTimeoutMs))));
    } catch (error) {
      response.setHeader('retry-after', RETRY_AFTER_SECONDS);
      if (error instanceof KafkaUnavailableError) {
        this.logger.warn({ orderId, error: error.message }, 'order refused: Kafka is away');
        throw new ServiceUnavailableException('Kafka is not reachable, so the order was not placed; try again later');
      }
      this.logger.error({ orderId, error: String(error) }, 'order not acknowledged by Kafka');
      throw new ServiceUnavailableException('Kafka did not acknowledge the order, so it was not placed; try again later');
    }
    // The order is placed. Its `placed` step is published with the time left of the same
    // budget (a broker that stops answering right after the ack must not hang the client);
    // if that is not enough, it goes on being tried after the 202, so the timeline gets it.
    const placed = this.status.publishPersistently(orderId, 'placed');
    void placed.catch((error: unknown) => this.logger.error({ orderId, error: String(error) }, 'placed status given up'));
    const left = Math.max(0, deadline - Date.now());
    await Promise.race([placed.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, left).unref())]);
    const traceId = trace.getActiveSpan()?.spanContext().traceId ?? '';
    response.setHeader('x-trace-id', traceId);
    this.logger.log({ orderId, items: request.items.length }, 'order accepted');
    return { orderId, traceId };
  }

  @Get(':id')
  @ApiOperation({ summary: "An order's status timeline", description: 'Each step with the service that took it, when, and the trace it happened in.' })
  // The pattern is what ParseUUIDPipe takes, so the document allows no id the API refuses.
  @ApiParam({ name: 'id', description: 'The order id (UUID) from POST /orders', schema: { type: 'string', format: 'uuid', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } })
  @ApiResponse({ status: 200, schema: API_SCHEMAS.orderTimeline })
  @ApiResponse({ status: 400, description: 'Not a UUID', schema: API_SCHEMAS.error })
  @ApiResponse({ status: 404, description: 'No such order (yet)', schema: API_SCHEMAS.error })
  timeline(@Param('id', new ParseUUIDPipe()) id: string) {
    // Ids are issued in lower case; the same UUID written in upper case is the same order.
    const orderId = id.toLowerCase();
    markSpans(orderId);
    const timeline = this.timelines.timeline(orderId);
    if (!timeline) throw new NotFoundException(`no order ${orderId}`);
    return {
      orderId,
      timeline: timeline.map(({ status, service, at, traceId, detail }) => ({ status, service, at, traceId, detail })),
      traceIds: [...new Set(timeline.flatMap(({ traceId }) => (traceId ? [traceId] : [])))],
    };
  }
}

/** `order.id` on the HTTP SERVER span (and the active span inside it), so TraceQL finds the request. */
function markSpans(orderId: string): void {
  getRPCMetadata(context.active())?.span?.setAttribute(ORDER_ID_ATTRIBUTE, orderId);
  trace.getActiveSpan()?.setAttribute(ORDER_ID_ATTRIBUTE, orderId);
}
