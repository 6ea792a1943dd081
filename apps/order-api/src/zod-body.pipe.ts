import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { validate } from '@mqtrace/contracts';

/**
 * Validates a request body against a contract of `@mqtrace/contracts` (zod): the typed
 * value, or `400` with every field error (`{ message, errors: [{ path, message }] }`).
 */
export class ZodBodyPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: z.ZodType<T>) {}

  transform(value: unknown): T {
    const result = validate(this.schema, value);
    if (result.ok) return result.value;
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'the request body breaks the contract', errors: result.errors });
  }
}
