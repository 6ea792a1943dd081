import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { BASE_SERVICE_ENV, loadServiceConfig, ServiceConfigError } from './service-config.js';

const ORDER_API_ENV = BASE_SERVICE_ENV.extend({
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  TRUST_INBOUND_TRACEPARENT: z.enum(['true', 'false']).default('true'),
});

describe('loadServiceConfig', () => {
  it('gives typed values with defaults; an empty variable counts as unset', () => {
    assert.deepEqual(loadServiceConfig('order-api', ORDER_API_ENV, { PORT: '8080', LOG_LEVEL: '', UNRELATED: 'x' }), {
      SERVICE_VERSION: '0.1.0',
      DEPLOYMENT_ENVIRONMENT: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_SESSION_TIMEOUT_MS: 10_000,
      PORT: 8080,
      TRUST_INBOUND_TRACEPARENT: 'true',
    });
  });

  it('reads KAFKA_BROKERS into a list and refuses a malformed one, saying what it must be', () => {
    assert.deepEqual(loadServiceConfig('inventory', BASE_SERVICE_ENV, { KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS, ['a:9092', 'b:9093']);
    assert.throws(
      () => loadServiceConfig('inventory', BASE_SERVICE_ENV, { KAFKA_BROKERS: 'kafka' }),
      (error: unknown) => error instanceof ServiceConfigError && /KAFKA_BROKERS: must be a comma-separated list of host:port/.test(error.message),
    );
  });

  it('refuses a session timeout Kafka would refuse (under 6 s) or that is not a number', () => {
    assert.equal(loadServiceConfig('inventory', BASE_SERVICE_ENV, { KAFKA_SESSION_TIMEOUT_MS: '6000' }).KAFKA_SESSION_TIMEOUT_MS, 6_000);
    for (const value of ['5999', 'ten seconds', '1e9'])
      assert.throws(
        () => loadServiceConfig('inventory', BASE_SERVICE_ENV, { KAFKA_SESSION_TIMEOUT_MS: value }),
        (error: unknown) => error instanceof ServiceConfigError && error.problems.some((problem) => problem.variable === 'KAFKA_SESSION_TIMEOUT_MS'),
        value,
      );
  });

  it('names every bad variable at once, and where the list of variables is', () => {
    assert.throws(
      () => loadServiceConfig('order-api', ORDER_API_ENV, { PORT: 'eighty', LOG_LEVEL: 'verbose', TRUST_INBOUND_TRACEPARENT: 'yes' }),
      (error: unknown) => {
        assert.ok(error instanceof ServiceConfigError);
        assert.deepEqual(error.problems.map((problem) => problem.variable).sort(), ['LOG_LEVEL', 'PORT', 'TRUST_INBOUND_TRACEPARENT']);
        assert.match(error.message, /^order-api cannot start, its configuration is invalid:\n/);
        assert.match(error.message, /docs\/configuration\.md/);
        return true;
      },
    );
  });
});
