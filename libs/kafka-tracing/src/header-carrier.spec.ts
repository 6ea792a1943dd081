import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headerGetter, headerSetter, MAX_PROPAGATION_HEADER_BYTES } from './header-carrier.js';
import type { MessageHeaders } from './record.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('headerGetter', () => {
  it('reads the four shapes a header value arrives in', () => {
    const headers: MessageHeaders = {
      buffer: Buffer.from(TRACEPARENT),
      text: TRACEPARENT,
      repeated: ['a=1', Buffer.from('b=2')],
      missing: undefined,
    };
    assert.equal(headerGetter.get(headers, 'buffer'), TRACEPARENT);
    assert.equal(headerGetter.get(headers, 'text'), TRACEPARENT);
    assert.equal(headerGetter.get(headers, 'repeated'), 'a=1,b=2');
    assert.equal(headerGetter.get(headers, 'missing'), undefined);
    assert.equal(headerGetter.get(headers, 'absent'), undefined);
  });

  it('finds keys regardless of case', () => {
    assert.equal(headerGetter.get({ TraceParent: TRACEPARENT }, 'traceparent'), TRACEPARENT);
    assert.deepEqual(headerGetter.keys({ TraceParent: TRACEPARENT }), ['TraceParent']);
  });

  it('ignores an oversized value instead of decoding it', () => {
    const huge = 'x'.repeat(MAX_PROPAGATION_HEADER_BYTES + 1);
    assert.equal(headerGetter.get({ tracestate: huge }, 'tracestate'), undefined);
    assert.equal(headerGetter.get({ tracestate: Buffer.from(huge) }, 'tracestate'), undefined);
    assert.equal(headerGetter.get({ tracestate: ['a=1', huge] }, 'tracestate'), undefined);
  });
});

describe('headerSetter', () => {
  it('replaces a header of the same name in another case', () => {
    const headers: MessageHeaders = { TRACEPARENT: 'stale', other: 'kept' };
    headerSetter.set(headers, 'traceparent', TRACEPARENT);
    assert.deepEqual(headers, { other: 'kept', traceparent: TRACEPARENT });
  });
});
