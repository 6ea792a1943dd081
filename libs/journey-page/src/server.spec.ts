import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@mqtrace/config';
import { journeyPageStartProblem } from './server.js';

describe('journeyPageStartProblem', () => {
  it('explains a bad setting and a port in use, and leaves any other failure to be thrown', () => {
    assert.equal(journeyPageStartProblem(new ConfigError('JOURNEY_PAGE_PORT must be a port number')), 'JOURNEY_PAGE_PORT must be a port number');
    const busy = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:3010'), { code: 'EADDRINUSE' });
    assert.match(journeyPageStartProblem(busy) ?? '', /EADDRINUSE.*\(another program has the port; set JOURNEY_PAGE_PORT\)/);
    assert.equal(journeyPageStartProblem(new TypeError('a bug')), undefined);
  });
});
