import { z } from 'zod';

/** An order id: a UUID that order-api assigns (`crypto.randomUUID()`). */
export const OrderId = z.uuid({ error: 'must be a UUID' });
/** An order id. */
export type OrderId = z.infer<typeof OrderId>;

/** A W3C trace id: 32 lowercase hex digits, not all zero. */
export const TraceId = z.string().regex(/^(?!0{32})[0-9a-f]{32}$/, { error: 'must be 32 lowercase hex digits, not all zero' });

/** ISO 4217 currency codes this runtime knows (the ICU list Node ships), e.g. EUR, USD. */
export const CURRENCY_CODES: readonly string[] = Intl.supportedValuesOf('currency');

/** An ISO 4217 currency code. */
export const Currency = z.string().refine((code) => CURRENCY_CODES.includes(code), { error: 'must be an ISO 4217 currency code such as EUR or USD' });
