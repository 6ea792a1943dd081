/**
 * Where the infrastructure is. Every service, test and tool reads these from the
 * environment, so the same code runs against the native stack (the defaults, all on
 * 127.0.0.1) or any other stack, for example one started with `docker compose`.
 */
export interface StackEndpoints {
  /** Kafka bootstrap servers, from `KAFKA_BROKERS` (comma-separated `host:port`). */
  readonly kafkaBrokers: readonly string[];
  /** OTLP/HTTP base URL of the collector gateway, from `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly otlpEndpoint: string;
  /** Grafana Tempo HTTP API base URL, from `TEMPO_URL`. */
  readonly tempoUrl: string;
  /** Jaeger query HTTP API base URL, from `JAEGER_URL`. */
  readonly jaegerUrl: string;
}

/** Defaults of the native stack started by `npm run stack:up`. */
export const NATIVE_STACK_DEFAULTS = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
  TEMPO_URL: 'http://127.0.0.1:3200',
  JAEGER_URL: 'http://127.0.0.1:16686',
} as const;

/** A configuration value that cannot be used; the message names the variable and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the stack endpoints; throws {@link ConfigError} on a bad value. */
export function stackEndpoints(env: Env = process.env): StackEndpoints {
  return {
    kafkaBrokers: brokerList('KAFKA_BROKERS', valueOf(env, 'KAFKA_BROKERS')),
    otlpEndpoint: httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', valueOf(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')),
    tempoUrl: httpUrl('TEMPO_URL', valueOf(env, 'TEMPO_URL')),
    jaegerUrl: httpUrl('JAEGER_URL', valueOf(env, 'JAEGER_URL')),
  };
}

/**
 * Only the collector's OTLP endpoint, for code that exports spans and must not fail on
 * another part of the stack's settings (the service reports those itself).
 */
export function otlpEndpoint(env: Env = process.env): string {
  return httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', valueOf(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'));
}

function valueOf(env: Env, name: keyof typeof NATIVE_STACK_DEFAULTS): string {
  const value = env[name]?.trim();
  return value ? value : NATIVE_STACK_DEFAULTS[name];
}

function brokerList(name: string, raw: string): string[] {
  const brokers = raw.split(',').map((broker) => broker.trim());
  for (const broker of brokers) {
    const match = /^([^\s:/]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new ConfigError(`${name} must be a comma-separated list of host:port, got ${JSON.stringify(raw)}`);
    }
  }
  return brokers;
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL such as http://127.0.0.1:3200, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must use http or https, got ${JSON.stringify(raw)}`);
  }
  return raw.replace(/\/+$/, '');
}
