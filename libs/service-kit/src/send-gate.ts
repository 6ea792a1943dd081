import { setTimeout as delay } from 'node:timers/promises';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ReadinessReport } from './health.js';

/** Thrown by {@link KafkaSendGate.pass} while the gate is closed: nothing was handed to Kafka. */
export class KafkaUnavailableError extends Error {
  override readonly name = 'KafkaUnavailableError';
}

/** Asks whether a broker answers within `timeoutMs` (a metadata request: it writes nothing). */
export type BrokerProbe = (timeoutMs: number) => Promise<boolean>;

/** Timing of {@link KafkaSendGate}'s probes while it is closed. */
export interface SendGateOptions {
  /** Pause between two probes; default 250 ms. */
  readonly probeIntervalMs?: number;
  /** How long one probe waits for the broker; default 2 s. */
  readonly probeTimeoutMs?: number;
}

/**
 * A circuit breaker for sends whose caller waits on Kafka's acknowledgement (order-api's
 * `POST /orders`). A send handed to kafkajs cannot be taken back: one that is still
 * waiting when the caller gives up can be written later, when the broker comes back (a
 * starting broker holds the requests that reached it and handles them once it is ready).
 * The caller would then have answered "not placed" for an order that is placed.
 *
 * So nothing is sent before a probe (a metadata request, which writes nothing) has found
 * a broker that answers; after one send fails (or the caller's deadline passes), the gate
 * closes: every further send is refused at once with {@link KafkaUnavailableError}, and
 * nothing is handed to kafkajs, until a probe finds a broker again. While Kafka is fine
 * this costs one probe at the first send, and one after a failed send.
 */
export class KafkaSendGate implements OnModuleDestroy {
  private readonly logger = new Logger(KafkaSendGate.name);
  private readonly probeIntervalMs: number;
  private readonly probeTimeoutMs: number;
  /** `undefined` until the first probe has answered or not; then open, or closed since when and why. */
  private state?: { readonly open: true } | { readonly open: false; readonly since: Date; readonly reason: string };
  private firstProbe?: Promise<void>;
  private probing?: Promise<void>;
  private destroyed = false;

  constructor(
    private readonly probe: BrokerProbe,
    { probeIntervalMs = 250, probeTimeoutMs = 2_000 }: SendGateOptions = {},
  ) {
    this.probeIntervalMs = probeIntervalMs;
    this.probeTimeoutMs = probeTimeoutMs;
  }

  /** Whether sends are let through now (false before the first probe). */
  get isOpen(): boolean {
    return this.state?.open === true;
  }

  /**
   * Runs `send` if the gate is open, and closes the gate when it fails (a timeout the
   * caller put on it included). Throws {@link KafkaUnavailableError} at once, without
   * calling `send`, while the gate is closed. The first call waits for the first probe.
   */
  async pass<T>(send: () => Promise<T>): Promise<T> {
    const state = this.state ?? (await this.probeFirst());
    if (!state.open) throw new KafkaUnavailableError(`no Kafka broker has answered since ${state.since.toISOString()} (${state.reason}); nothing was sent`);
    try {
      return await send();
    } catch (error) {
      this.close(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      throw error;
    }
  }

  /** For `GET /health/ready`: not ready while the gate is closed, with since when and why. */
  async readiness(): Promise<ReadinessReport> {
    const state = this.state ?? (await this.probeFirst());
    return state.open ? { ready: true } : { ready: false, reason: `sends held back since ${state.since.toISOString()}: ${state.reason}` };
  }

  /** Stops probing (the probe in flight finishes), so a closed gate does not outlive the app. */
  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    await Promise.all([this.firstProbe, this.probing]);
  }

  /** The first probe, shared by every caller that arrives before it answers. */
  private async probeFirst(): Promise<NonNullable<KafkaSendGate['state']>> {
    this.firstProbe ??= this.probe(this.probeTimeoutMs)
      .catch(() => false)
      .then((answers) => (answers ? void (this.state = { open: true }) : this.close('no broker answered the first probe')));
    await this.firstProbe;
    return this.state ?? { open: false, since: new Date(), reason: 'stopped' };
  }

  private close(reason: string): void {
    if (this.state?.open === false || this.destroyed) return;
    this.state = { open: false, since: new Date(), reason };
    this.logger.warn({ reason }, 'Kafka did not answer: holding sends back until a broker does');
    this.probing = this.probeUntilOpen();
  }

  private async probeUntilOpen(): Promise<void> {
    for (;;) {
      await delay(this.probeIntervalMs, undefined, { ref: false });
      if (this.destroyed) return;
      if (await this.probe(this.probeTimeoutMs).catch(() => false)) {
        const since = this.state?.open === false ? this.state.since : undefined;
        this.state = { open: true };
        this.logger.log({ closedMs: since ? Date.now() - since.getTime() : 0 }, 'a Kafka broker answers again: sends let through');
        return;
      }
    }
  }
}
