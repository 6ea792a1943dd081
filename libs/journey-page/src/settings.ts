import { ConfigError, stackEndpoints } from '@mqtrace/config';
import type { TraceViewers } from './trace-links.js';

/** The journey page's settings (docs/configuration.md, "The journey page"). */
export interface JourneyPageSettings extends TraceViewers {
  /** Address and port the page is served on (`JOURNEY_PAGE_HOST`, `JOURNEY_PAGE_PORT`). */
  readonly host: string;
  readonly port: number;
  /** Tempo's HTTP API, where journeys are found (`TEMPO_URL`). */
  readonly tempoUrl: string;
  /** order-api, for each order's latest status (`ORDER_API_URL`, else `ORDER_API_PORT` on 127.0.0.1). */
  readonly orderApiUrl: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the settings; throws {@link ConfigError} naming the variable at fault. */
export function journeyPageSettings(env: Env = process.env): JourneyPageSettings {
  const set = (name: string) => env[name]?.trim() || undefined;
  const jaegerUiUrl = optionalUrl('JAEGER_UI_URL', set('JAEGER_UI_URL'));
  const grafanaUrl = optionalUrl('GRAFANA_URL', set('GRAFANA_URL'));
  const grafanaTempoUid = set('GRAFANA_TEMPO_UID');
  if (grafanaTempoUid !== undefined && !/^[A-Za-z0-9_-]{1,40}$/.test(grafanaTempoUid)) {
    throw new ConfigError(`GRAFANA_TEMPO_UID must be a Grafana data source uid (letters, digits, - and _, at most 40), got ${JSON.stringify(grafanaTempoUid)}`);
  }
  return {
    host: set('JOURNEY_PAGE_HOST') ?? '127.0.0.1',
    port: port('JOURNEY_PAGE_PORT', set('JOURNEY_PAGE_PORT') ?? '3010', { anyAllowed: true }),
    tempoUrl: stackEndpoints(env).tempoUrl,
    orderApiUrl: optionalUrl('ORDER_API_URL', set('ORDER_API_URL')) ?? `http://127.0.0.1:${port('ORDER_API_PORT', set('ORDER_API_PORT') ?? '3000')}`,
    ...(jaegerUiUrl ? { jaegerUiUrl } : {}),
    ...(grafanaUrl ? { grafanaUrl } : {}),
    ...(grafanaTempoUid ? { grafanaTempoUid } : {}),
  };
}

/** A port number; with `anyAllowed`, 0 too (any free port: the page prints the one it got). */
function port(name: string, raw: string, { anyAllowed = false } = {}): number {
  const value = Number(raw);
  const lowest = anyAllowed ? 0 : 1;
  if (!/^\d{1,5}$/.test(raw) || value < lowest || value > 65535) throw new ConfigError(`${name} must be a port number from ${lowest} to 65535${anyAllowed ? ' (0: any free port)' : ''}, got ${JSON.stringify(raw)}`);
  return value;
}

function optionalUrl(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL such as http://localhost:16686, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must use http or https, got ${JSON.stringify(raw)}`);
  return raw.replace(/\/+$/, '');
}
