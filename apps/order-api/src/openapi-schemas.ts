import type { ApiBodyOptions } from '@nestjs/swagger';
import { z } from 'zod';
import { OrderStatusEvent, PlaceOrderRequest, TraceId } from '@mqtrace/contracts';

/** An OpenAPI schema object, as `@nestjs/swagger`'s decorators take it. */
type SchemaObject = Extract<ApiBodyOptions, { schema: unknown }>['schema'];

/** A zod contract as an OpenAPI 3.0 schema: the document and the validation share one source. */
const openApi = (schema: z.ZodType): SchemaObject => z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as SchemaObject;

/** The schemas of order-api's OpenAPI document. */
export const API_SCHEMAS = {
  placeOrderRequest: openApi(PlaceOrderRequest),
  orderAccepted: openApi(z.object({ orderId: z.uuid(), traceId: TraceId })),
  orderTimeline: openApi(
    z.object({
      orderId: z.uuid(),
      timeline: z.array(OrderStatusEvent.pick({ status: true, service: true, at: true, traceId: true, detail: true })),
      traceIds: z.array(TraceId),
    }),
  ),
  error: openApi(z.object({ statusCode: z.int(), error: z.string().optional(), message: z.union([z.string(), z.array(z.string())]), errors: z.array(z.object({ path: z.string(), message: z.string() })).optional() })),
} as const;
