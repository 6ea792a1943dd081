import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, NATIVE_STACK_DEFAULTS, otlpEndpoint, stackEndpoints } from './stack-endpoints.js';

describe('stackEndpoints', () => {
  it('defaults to the native stack on 127.0.0.1', () => {
    assert.deepEqual(stackEndpoints({}), {
      kafkaBrokers: ['127.0.0.1:9092'],
      otlpEndpoint: NATIVE_STACK_DEFAULTS.OTEL_EXPORTER_OTLP_ENDPOINT,
      tempoUrl: 'http://127.0.0.1:3200',
      jaegerUrl: 'http://127.0.0.1:16686',
    });
  });

  it('takes every endpoint from the environment, trimming trailing slashes', () => {
    const endpoints = stackEndpoints({
      KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      TEMPO_URL: 'https://tempo.example:3200',
      JAEGER_URL: 'http://jaeger:16686',
    });
    assert.deepEqual(endpoints.kafkaBrokers, ['kafka-1:9092', 'kafka-2:9092']);
    assert.equal(endpoints.otlpEndpoint, 'http://collector:4318');
    assert.equal(endpoints.tempoUrl, 'https://tempo.example:3200');
  });

  it('otlpEndpoint() reads the collector endpoint alone, whatever the other variables hold', () => {
    assert.equal(otlpEndpoint({ KAFKA_BROKERS: 'not a broker list', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }), 'http://collector:4318');
    assert.throws(() => otlpEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' }), /^ConfigError: OTEL_EXPORTER_OTLP_ENDPOINT must/);
  });

  it('treats an empty variable as unset', () => {
    assert.equal(stackEndpoints({ TEMPO_URL: '  ' }).tempoUrl, NATIVE_STACK_DEFAULTS.TEMPO_URL);
  });

  for (const [name, value] of [
    ['KAFKA_BROKERS', 'localhost'],
    ['KAFKA_BROKERS', 'a:9092,,b:9092'],
    ['KAFKA_BROKERS', 'a:99999'],
    ['TEMPO_URL', 'tempo:3200'],
    ['JAEGER_URL', 'ftp://jaeger'],
  ] as const) {
    it(`rejects ${name}=${value} with a message naming the variable`, () => {
      assert.throws(() => stackEndpoints({ [name]: value }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, new RegExp(`^${name} must`));
        return true;
      });
    });
  }
});
