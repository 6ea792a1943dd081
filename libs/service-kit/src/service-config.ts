import { z } from 'zod';

/** Variables every service reads (see docs/configuration.md). */
export const BASE_SERVICE_ENV = z.object({
  /** `service.version` on every span and log line. */
  SERVICE_VERSION: z.string().trim().min(1).default('0.1.0'),
  /** `deployment.environment.name` on every span and log line. */
  DEPLOYMENT_ENVIRONMENT: z.string().trim().min(1).default('development'),
  /** Lowest level logged. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

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
