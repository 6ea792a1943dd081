import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempoTraceId, traceQlLinkingTo, traceQlTrace } from './traceql.js';

describe('TraceQL by trace id', () => {
  it('spells a trace id as Tempo matches it: without leading zeros, lower case', () => {
    assert.equal(tempoTraceId('00b03e5a1458976d610c80eb1b5c60dc'), 'b03e5a1458976d610c80eb1b5c60dc');
    assert.equal(tempoTraceId('0894AEDCE6C894FFBE37406B9BA86EF1'), '894aedce6c894ffbe37406b9ba86ef1');
    assert.equal(tempoTraceId('ab81f71d76c1f1f32b8f47d365c81a4f'), 'ab81f71d76c1f1f32b8f47d365c81a4f');
  });

  it('finds a trace by id, and the traces linking into it whichever way the link was stored', () => {
    assert.equal(traceQlTrace('00b03e5a1458976d610c80eb1b5c60dc'), '{ trace:id = "b03e5a1458976d610c80eb1b5c60dc" }');
    assert.equal(traceQlLinkingTo('00257e9f229eaa0a80c08ac623091962'), '{ link:traceID =~ "0*257e9f229eaa0a80c08ac623091962" }');
  });
});
