import { ClientKafka, ServerKafka } from '@nestjs/microservices';

type Check = (base: Record<string, unknown>, instance: Record<string, unknown>) => boolean;
const method =
  (name: string): Check =>
  (base) =>
    typeof base[name] === 'function';

/**
 * The parts of `@nestjs/microservices` the traced transport builds on beyond the
 * documented options, checked on Nest's own classes (the methods the traced ones
 * override and call through `super`). Checked when a server or client is constructed, so
 * a Nest upgrade that changes them stops the service at start-up with a clear message
 * instead of silently dropping spans, retries or dead letters.
 */
const RELIED_ON: Record<'server' | 'client', Record<string, Check>> = {
  server: {
    // Called per record with a kafkajs eachMessage payload; parses, routes and awaits.
    handleMessage: method('handleMessage'),
    // Called per connection attempt by the retrying listen(); start() also registers the listeners.
    createClient: method('createClient'),
    start: method('start'),
    registerConsumerEventListeners: method('registerConsumerEventListeners'),
    // Overridden to consume with eachBatch (retries, pauses) instead of eachMessage.
    bindEvents: method('bindEvents'),
    // Wrapped to see request/response handler errors.
    addHandler: method('addHandler'),
    // Overridden so a reply carries what Nest's default filter would give the caller.
    sendMessage: method('sendMessage'),
    // Event handler failures must reach the transport, or nothing is retried.
    propagatesEventHandlerErrors: (_base, instance) => instance['propagatesEventHandlerErrors'] === true,
  },
  client: {
    // The kafkajs client whose producers get traced sends.
    createClient: method('createClient'),
    // emit, emitBatch and send: where the caller's data is seen before serialisation.
    dispatchEvent: method('dispatchEvent'),
    dispatchBatchEvent: method('dispatchBatchEvent'),
    publish: method('publish'),
  },
};

/** What Nest's class lacks of what the traced transport relies on (empty when all is there). */
export function missingNestSurface(side: 'server' | 'client', base: object, instance: object): string[] {
  return Object.entries(RELIED_ON[side])
    .filter(([, holds]) => !holds(base as Record<string, unknown>, instance as Record<string, unknown>))
    .map(([name]) => name);
}

/** Throws when the installed Nest lacks what the traced server or client relies on. */
export function assertNestSurface(side: 'server' | 'client', instance: ServerKafka | ClientKafka): void {
  const missing = missingNestSurface(side, side === 'server' ? ServerKafka.prototype : ClientKafka.prototype, instance);
  if (missing.length > 0) {
    throw new Error(
      `@mqtrace/nest-kafka-tracing: this @nestjs/microservices ${side === 'server' ? 'ServerKafka' : 'ClientKafka'} lacks ${missing.join(', ')}; ` +
        'the traced transport was written against @nestjs/microservices 12 and must be updated for this version',
    );
  }
}
