import type { z } from 'zod';
import { ContractViolation, decodeMessage } from '@mqtrace/contracts';
import { PoisonMessageError } from '@mqtrace/kafka-tracing';

/**
 * Decodes a consumed record's value into its contract. A value that breaks the contract
 * (not JSON, empty, oversized, wrong shape) is poison: retrying cannot fix it, so it is
 * dead-lettered at once, with the field errors as the reason.
 */
export function decodeConsumed<T>(topic: string, schema: z.ZodType<T>, value: unknown): T {
  try {
    return decodeMessage(topic, schema, value);
  } catch (error) {
    if (error instanceof ContractViolation) throw new PoisonMessageError(error.message, { cause: error });
    throw error;
  }
}
