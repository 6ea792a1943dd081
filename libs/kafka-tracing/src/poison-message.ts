// Pattern: retries and dead letters, the "do not retry" signal. A poison record goes to
// the dead-letter topic at once; retrying cannot fix a payload that does not parse.

/** Brand carried by every poison error, so it is recognised across realms and wrappers. */
const POISON_BRAND = Symbol.for('@mqtrace/kafka-tracing.poison-message');

/**
 * An error that retrying cannot fix (a payload that does not parse, a failed
 * validation): the record is dead-lettered at once instead of after every attempt.
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
  /** The brand {@link isPoisonMessage} looks for. */
  readonly [POISON_BRAND] = true;
}

/**
 * Whether an error means "poison". Recognised by brand or by name, never by
 * `instanceof` alone: frameworks (NestJS among them) rethrow errors through their own
 * layers, a second copy of this library may be loaded, and a filter may pass the error
 * on as a plain object. An error whose `cause` is poison is poison too.
 */
export function isPoisonMessage(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  if ((error as { [POISON_BRAND]?: unknown })[POISON_BRAND] === true) return true;
  if ((error as { name?: unknown }).name === 'PoisonMessageError') return true;
  return isPoisonMessage((error as { cause?: unknown }).cause, depth + 1);
}
