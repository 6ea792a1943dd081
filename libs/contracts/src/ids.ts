import { z } from 'zod';

/** An order id: a UUID that order-api assigns (`crypto.randomUUID()`). */
export const OrderId = z.uuid({ error: 'must be a UUID' });
/** An order id. */
export type OrderId = z.infer<typeof OrderId>;

/** A W3C trace id: 32 lowercase hex digits, not all zero. */
export const TraceId = z.string().regex(/^(?!0{32})[0-9a-f]{32}$/, { error: 'must be 32 lowercase hex digits, not all zero' });

/** ISO 4217 currency codes this runtime knows (the ICU list Node ships), e.g. EUR, USD. */
export const CURRENCY_CODES = Intl.supportedValuesOf('currency') as readonly string[] as readonly [string, ...string[]];

/** An ISO 4217 currency code: an enum, so the OpenAPI document lists the codes the API takes. */
export const Currency = z.enum(CURRENCY_CODES, { error: 'must be an ISO 4217 currency code such as EUR or USD' });

/**
 * A short, non-blank piece of text of at most `max` characters, counted the way JSON
 * Schema counts them (Unicode code points: an emoji is one), not the way JavaScript's
 * `length` does (UTF-16 units: an emoji is two). The same bounds go into the OpenAPI
 * document, so what the document allows the API accepts, and nothing more; the HTTP
 * fuzzer of the reliability suite holds the two to that. Not trimmed: a value is taken
 * as sent or refused, never quietly changed.
 */
export const BoundedText = (max: number) =>
  z
    .string()
    .regex(/\S/, { error: 'must not be blank' })
    .refine((text) => [...text].length <= max, { error: `must be at most ${max} characters` })
    .meta({ minLength: 1, maxLength: max });
