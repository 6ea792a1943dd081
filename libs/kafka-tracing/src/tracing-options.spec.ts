import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TRACING_OPTIONS, TracingOptionsError, tracingOptionsFromEnv } from './tracing-options.js';

describe('tracingOptionsFromEnv', () => {
  it('defaults to parent consumers, linked fan-out and W3C propagation', () => {
    assert.deepEqual(tracingOptionsFromEnv({}), DEFAULT_TRACING_OPTIONS);
    assert.deepEqual(DEFAULT_TRACING_OPTIONS, { consumerParent: 'parent', fanout: 'link', propagation: 'w3c', semconv: 'current' });
  });

  it('reads every switch', () => {
    assert.deepEqual(tracingOptionsFromEnv({ TRACE_CONSUMER_PARENT: 'link', TRACE_FANOUT: 'child', TRACE_PROPAGATION: 'naive' }), {
      consumerParent: 'link',
      fanout: 'child',
      propagation: 'naive',
      semconv: 'current',
    });
  });

  it('emits the replaced messaging names too only when OTEL_SEMCONV_STABILITY_OPT_IN lists messaging/dup', () => {
    assert.equal(tracingOptionsFromEnv({ OTEL_SEMCONV_STABILITY_OPT_IN: 'http, messaging/dup' }).semconv, 'dup');
    assert.equal(tracingOptionsFromEnv({ OTEL_SEMCONV_STABILITY_OPT_IN: 'http/dup' }).semconv, 'current');
  });

  it('rejects an unknown value with the allowed ones in the message', () => {
    assert.throws(() => tracingOptionsFromEnv({ TRACE_FANOUT: 'children' }), (error: unknown) => {
      assert.ok(error instanceof TracingOptionsError);
      assert.match(error.message, /TRACE_FANOUT must be one of link, child, got "children"/);
      return true;
    });
  });
});
