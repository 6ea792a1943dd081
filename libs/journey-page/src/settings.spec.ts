import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@mqtrace/config';
import { journeyPageSettings } from './settings.js';

describe('journeyPageSettings', () => {
  it('defaults: port 3010 on 127.0.0.1, the native stack, order-api on its port, no Jaeger UI or Grafana', () => {
    assert.deepEqual(journeyPageSettings({}), { host: '127.0.0.1', port: 3010, tempoUrl: 'http://127.0.0.1:3200', orderApiUrl: 'http://127.0.0.1:3000' });
    assert.equal(journeyPageSettings({ ORDER_API_PORT: '4000' }).orderApiUrl, 'http://127.0.0.1:4000');
  });

  it('takes the viewers and addresses from the environment, trailing slashes dropped, 0 as any free port', () => {
    const settings = journeyPageSettings({ JOURNEY_PAGE_PORT: '0', JAEGER_UI_URL: 'http://jaeger:16686/', GRAFANA_URL: 'http://grafana:3000', GRAFANA_TEMPO_UID: 'tempo-1', ORDER_API_URL: 'http://order-api:3000/' });
    assert.equal(settings.port, 0);
    assert.equal(settings.jaegerUiUrl, 'http://jaeger:16686');
    assert.equal(settings.grafanaUrl, 'http://grafana:3000');
    assert.equal(settings.grafanaTempoUid, 'tempo-1');
    assert.equal(settings.orderApiUrl, 'http://order-api:3000');
  });

  for (const [name, value, message] of [
    ['JOURNEY_PAGE_PORT', '70000', /JOURNEY_PAGE_PORT must be a port number from 0 to 65535 \(0: any free port\), got "70000"/],
    ['JOURNEY_PAGE_PORT', 'http', /JOURNEY_PAGE_PORT must be a port number/],
    ['ORDER_API_PORT', '0', /ORDER_API_PORT must be a port number from 1 to 65535, got "0"/],
    ['JAEGER_UI_URL', 'jaeger:16686', /JAEGER_UI_URL must use http or https/],
    ['GRAFANA_URL', 'not a url', /GRAFANA_URL must be an http\(s\) URL/],
    ['GRAFANA_TEMPO_UID', 'a uid with spaces', /GRAFANA_TEMPO_UID must be a Grafana data source uid/],
    ['TEMPO_URL', 'ftp://tempo', /TEMPO_URL must use http or https/],
  ] as const) {
    it(`refuses ${name}=${JSON.stringify(value)}, naming the variable`, () => {
      assert.throws(() => journeyPageSettings({ [name]: value }), (error: Error) => error instanceof ConfigError && message.test(error.message));
    });
  }
});
