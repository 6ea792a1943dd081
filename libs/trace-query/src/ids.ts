/** A trace or span id that is not valid hex of the right length, or is all zeros. */
export class InvalidIdError extends Error {
  override readonly name = 'InvalidIdError';
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * Validates a W3C trace id given by a user (32 hex digits, not all zeros) and returns it
 * in lower case; throws {@link InvalidIdError} with the reason otherwise.
 */
export function parseTraceId(input: string): string {
  const id = input.trim().toLowerCase();
  if (!TRACE_ID.test(id)) {
    throw new InvalidIdError(`a trace id is 32 hex digits, got ${JSON.stringify(input)}`);
  }
  if (/^0+$/.test(id)) {
    throw new InvalidIdError('the all-zero trace id is invalid');
  }
  return id;
}

/**
 * Turns an id from an OTLP/JSON document into lower-case hex. The OTLP JSON encoding
 * says hex, but protobuf's generic JSON mapping (which Tempo uses) says base64, so both
 * are accepted: an id that is exactly hex of the expected length is hex.
 */
export function idToHex(raw: string | undefined, bytes: 8 | 16): string | undefined {
  if (!raw) return undefined;
  if (raw.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(raw)) return raw.toLowerCase();
  const decoded = Buffer.from(raw, 'base64');
  if (decoded.length !== bytes) return undefined;
  return decoded.toString('hex');
}
