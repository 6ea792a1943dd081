// Pattern: messaging attributes, the migration path. Dashboards written for the older
// conventions query these names; OTEL_SEMCONV_STABILITY_OPT_IN=messaging/dup emits both.
// The one place that names the replaced attributes (semantic-conventions.spec.ts allows it).
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_KAFKA_MESSAGE_KEY,
  ATTR_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_KAFKA_OFFSET,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_SYSTEM,
  ATTR_MESSAGING_SYSTEM_NAME,
} from '@opentelemetry/semantic-conventions/incubating';
import type { MessagingSemconv } from './tracing-options.js';

/** Current attribute name → the deprecated name it replaced. */
const LEGACY_NAMES: Readonly<Record<string, string>> = {
  [ATTR_MESSAGING_SYSTEM_NAME]: ATTR_MESSAGING_SYSTEM,
  [ATTR_KAFKA_OFFSET]: ATTR_MESSAGING_KAFKA_OFFSET,
  [ATTR_KAFKA_MESSAGE_KEY]: ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  [ATTR_KAFKA_MESSAGE_TOMBSTONE]: ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE,
};

/** The attributes as given, plus, in `dup` mode, each replaced name beside its successor. */
export function withLegacyNames(semconv: MessagingSemconv, attributes: Attributes): Attributes {
  if (semconv !== 'dup') return attributes;
  const both: Attributes = { ...attributes };
  for (const [name, value] of Object.entries(attributes)) {
    const legacy = LEGACY_NAMES[name];
    if (legacy !== undefined) both[legacy] = value;
  }
  return both;
}
