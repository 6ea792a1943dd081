import { setTimeout as delay } from 'node:timers/promises';

/** The part of a kafkajs client a probe uses (Nest's own copy of kafkajs' types fits too). */
export interface ProbedClient {
  admin(config: { retry: { retries: number } }): { connect(): Promise<void>; describeCluster(): Promise<unknown>; disconnect(): Promise<void> };
}

/**
 * Whether a broker answers a metadata request within `timeoutMs`, through a throw-away
 * admin client of `kafka` with no retries (a probe must answer now, not after kafkajs'
 * backoff). A metadata request changes nothing, so a probe the broker reads late (one
 * queued while it was starting) does no harm.
 */
export async function brokerAnswers(kafka: ProbedClient, timeoutMs: number): Promise<boolean> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  const probe = admin.connect().then(() => admin.describeCluster());
  try {
    await Promise.race([probe, delay(timeoutMs, undefined, { ref: false }).then(() => Promise.reject(new Error('timeout')))]);
    return true;
  } catch {
    return false;
  } finally {
    probe.catch(() => undefined).finally(() => void admin.disconnect().catch(() => undefined));
  }
}
