import { z } from 'zod';
import { ConfigError, NATIVE_STACK_DEFAULTS, stackEndpoints } from '@mqtrace/config';

/** Variables every service reads (see docs/configuration.md). */
export const BASE_SERVICE_ENV = z.object({
  /** `service.version` on every span and log line (`version`). */
  SERVICE_VERSION: z.string().trim().min(1).default('0.1.0'),
  /** `deployment.environment.name` on every span (through `@mqtrace/telemetry/register`). */
  DEPLOYMENT_ENVIRONMENT: z.string().trim().min(1).default('development'),
  /** Lowest level logged. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** Address the HTTP server (health endpoints, API) binds to; `0.0.0.0` in a container. */
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** Kafka bootstrap servers, comma-separated `host:port`; validated like every tool reads it. */
  KAFKA_BROKERS: z
    .string()
    .default(NATIVE_STACK_DEFAULTS.KAFKA_BROKERS)
    .transform((value, context) => {
      try {
        return stackEndpoints({ KAFKA_BROKERS: value }).kafkaBrokers;
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof ConfigError ? error.message.replace(/^KAFKA_BROKERS /, '') : String(error) });
        return z.NEVER;
      }
    }),
  /**
   * How long the group coordinator waits for a silent consumer before giving its
   * partitions to others. It also bounds how long a consumer takes to rejoin after a
   * broker restart (the coordinator first lets the old member's session expire), so it is
   * shorter than kafkajs' 30 s. Kafka refuses values outside its
   * `group.min/max.session.timeout.ms` (6 s to 30 min by default).
   */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(6_000).max(1_800_000).default(10_000),
});

/** `PORT`, the service's HTTP port, with the service's own default. */
export function httpPort(defaultPort: number) {
  return z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65_535).default(defaultPort);
}

/** The environment is not usable: every bad variable and why, in one message. */
export class ServiceConfigError extends Error {
  override readonly name = 'ServiceConfigError';
  constructor(
    readonly service: string,
    readonly problems: ReadonlyArray<{ readonly variable: string; readonly problem: string }>,
  ) {
    super(
      `${service} cannot start, its configuration is invalid:\n` +
        problems.map(({ variable, problem }) => `  ${variable}: ${problem}`).join('\n') +
        '\nEvery variable is listed in docs/configuration.md.',
    );
  }
}

/**
 * Reads a service's configuration from the environment, validated by a zod object of
 * variable names (extend {@link BASE_SERVICE_ENV}); throws {@link ServiceConfigError}
 * naming every bad variable at once, so a service refuses to start instead of failing
 * later on a value it half understood.
 */
export function loadServiceConfig<S extends z.ZodObject>(service: string, schema: S, env: Readonly<Record<string, string | undefined>> = process.env): z.infer<S> {
  // An empty variable is unset: shells and compose files write `X=` for "no value".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = schema.safeParse(given);
  if (result.success) return result.data;
  throw new ServiceConfigError(
    service,
    result.error.issues.map((issue) => ({ variable: issue.path.join('.') || '(environment)', problem: issue.message })),
  );
}

/**
 * {@link loadServiceConfig} for a service's `main.ts`: a bad environment ends the process
 * with the message alone (exit code 78, "configuration error"), not a stack trace.
 */
export function loadServiceConfigOrExit<S extends z.ZodObject>(service: string, schema: S, env: Readonly<Record<string, string | undefined>> = process.env): z.infer<S> {
  try {
    return loadServiceConfig(service, schema, env);
  } catch (error) {
    if (!(error instanceof ServiceConfigError)) throw error;
    console.error(error.message);
    return process.exit(78);
  }
}
