import { setTimeout as delay } from 'node:timers/promises';
import { Controller, Get, Injectable } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';

/** What one readiness check reports: `ready`, plus any details worth showing a human. */
export type ReadinessReport = { readonly ready: boolean } & Readonly<Record<string, unknown>>;

/** One thing a service needs before it takes traffic (Kafka, a rebuilt projection...). */
export type ReadinessCheck = () => Promise<{ readonly ready: boolean }>;

/**
 * The readiness checks of this service, by name. Filled at start (`startService` adds the
 * Kafka consumer's; an app adds its own), read by `GET /health/ready`.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds (or replaces) a named check. */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Every check, by name. */
  entries(): ReadonlyArray<readonly [string, ReadinessCheck]> {
    return [...this.checks];
  }
}

/**
 * The longest one readiness check may take: a check that waits on a broker which is
 * starting (it accepts connections and answers nothing) counts as not ready, so the probe
 * itself always answers.
 */
export const READINESS_CHECK_TIMEOUT_MS = 5_000;

/**
 * `GET /health/live`: the process answers (restart it if not). `GET /health/ready`: every
 * readiness check passes (send it traffic); `503` with each check's report otherwise, in
 * `@nestjs/terminus`' format. A check that has not answered within
 * {@link READINESS_CHECK_TIMEOUT_MS} reports down.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly checks: ReadinessChecks,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(this.checks.entries().map(([name, check]) => () => this.indicate(name, check)));
  }

  private async indicate(name: string, check: ReadinessCheck): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(name);
    try {
      const timeout = delay(READINESS_CHECK_TIMEOUT_MS, undefined, { ref: false }).then(() => Promise.reject(new Error(`no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`)));
      const { ready, ...details } = (await Promise.race([check(), timeout])) as ReadinessReport;
      return ready ? indicator.up(details) : indicator.down(details);
    } catch (error) {
      return indicator.down({ reason: error instanceof Error ? error.message : String(error) });
    }
  }
}
