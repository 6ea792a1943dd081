import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientKafka, ServerKafka } from '@nestjs/microservices';
import { RetryPolicyError } from '@mqtrace/kafka-tracing';
import { missingNestSurface } from './nest-surface.js';
import { TracedClientKafka } from './traced-client-kafka.js';
import { TracedServerKafka } from './traced-server-kafka.js';

// What the transport relies on is checked when it is built, so a bad policy or a Nest
// that changed underneath stops the service at start-up instead of degrading silently.
describe('TracedServerKafka and TracedClientKafka construction', () => {
  it('refuses a blocking retry policy that could outlast the consumer group rebalance timeout', () => {
    const retry = { maxAttempts: 3, initialDelayMs: 6_000, maxDelayMs: 6_000, multiplier: 1 };
    assert.throws(
      () => new TracedServerKafka({ consumer: { groupId: 'g', rebalanceTimeout: 10_000 }, tracing: { retry } }),
      (error: unknown) => error instanceof RetryPolicyError && /rebalance timeout of 10000 ms/.test(error.message),
    );
    assert.ok(new TracedServerKafka({ consumer: { groupId: 'g', rebalanceTimeout: 10_000 }, tracing: { retry: { ...retry, mode: 'retry-topic' } } }));
  });

  it('the installed Nest has everything the transport relies on', () => {
    assert.deepEqual(missingNestSurface('server', ServerKafka.prototype, new TracedServerKafka({})), []);
    assert.deepEqual(missingNestSurface('client', ClientKafka.prototype, new TracedClientKafka({})), []);
  });

  it('names what a changed Nest lacks', () => {
    const present = () => undefined;
    const changedServer = { handleMessage: present, addHandler: present, createClient: present, start: present, registerConsumerEventListeners: present };
    assert.deepEqual(missingNestSurface('server', changedServer, { propagatesEventHandlerErrors: false }), ['bindEvents', 'sendMessage', 'propagatesEventHandlerErrors']);
    assert.deepEqual(missingNestSurface('server', { ...changedServer, start: undefined, bindEvents: present, sendMessage: present }, { propagatesEventHandlerErrors: true }), ['start']);
    assert.deepEqual(missingNestSurface('client', { createClient: present, publish: present }, {}), ['dispatchEvent', 'dispatchBatchEvent']);
  });
});
