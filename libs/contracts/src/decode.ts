import { z } from 'zod';

/** One problem with one field, as an HTTP 400 body or a log line shows it. */
export interface FieldError {
  /** Dotted path to the field (`items.0.quantity`), or `(root)` for the value itself. */
  readonly path: string;
  readonly message: string;
}

/** Largest message value decoded; Kafka allows about 1 MiB, no message of ours is near it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * A message or request that does not match its contract. Retrying cannot fix it: a
 * consumer treats it as poison (dead-letter at once), an HTTP edge answers 400.
 */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(
    readonly contract: string,
    readonly errors: readonly FieldError[],
  ) {
    super(`${contract}: ${errors.map((error) => `${error.path} ${error.message}`).join('; ')}`);
  }
}

/** Zod's issues as field errors. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.length > 0 ? issue.path.join('.') : '(root)', message: issue.message }));
}

/** Checks data against a contract: the typed value, or every field error. */
export function validate<T>(schema: z.ZodType<T>, data: unknown): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: fieldErrors(result.error) };
}

/**
 * Decodes a consumed message into its contract, or throws {@link ContractViolation}.
 * Takes what a Kafka client hands over: the raw value (Buffer or string, JSON inside), or
 * a value a framework already parsed (NestJS parses JSON objects before the handler). An
 * empty, oversized, non-JSON or wrongly shaped value is a violation, never a crash.
 */
export function decodeMessage<T>(contract: string, schema: z.ZodType<T>, value: unknown): T {
  const data = typeof value === 'string' || Buffer.isBuffer(value) ? parseJson(contract, value) : value;
  const result = validate(schema, data);
  if (!result.ok) throw new ContractViolation(contract, result.errors);
  return result.value;
}

function parseJson(contract: string, raw: string | Buffer): unknown {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size === 0) throw new ContractViolation(contract, [{ path: '(root)', message: 'is empty' }]);
  if (size > MAX_MESSAGE_BYTES) throw new ContractViolation(contract, [{ path: '(root)', message: `is ${size} bytes, over the ${MAX_MESSAGE_BYTES} allowed` }]);
  try {
    return JSON.parse(raw.toString());
  } catch {
    throw new ContractViolation(contract, [{ path: '(root)', message: 'is not JSON' }]);
  }
}
