import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceInstrumentations } from './service-instrumentations.js';

describe('serviceInstrumentations', () => {
  const names = serviceInstrumentations().map((instrumentation) => instrumentation.instrumentationName);

  it('leaves kafkajs to the tracing library', () => {
    assert.equal(names.includes('@opentelemetry/instrumentation-kafkajs'), false);
  });

  it('keeps the instrumentations the services rely on', () => {
    for (const name of ['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-express', '@opentelemetry/instrumentation-nestjs-core', '@opentelemetry/instrumentation-pino']) {
      assert.ok(names.includes(name), `${name} missing`);
    }
  });
});
