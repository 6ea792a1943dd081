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
 * Where a {@link KafkaSendGate} stands: `open` lets every send through; `closed` refuses
 * them all while probes look for a broker; `trial` (a probe found one after an outage)
 * lets one send through at a time until Kafka has acknowledged one.
 */
type GateState =
  | { readonly mode: 'open' }
  | { readonly mode: 'closed'; readonly since: Date; readonly reason: string }
  | { readonly mode: 'trial'; readonly since: Date; readonly reason: string; inFlight: boolean };

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
 * nothing is handed to kafkajs, until a probe finds a broker again. A broker that answers
 * a probe may still hold writes for seconds while it finishes starting, so the gate then
 * lets one send through as a trial and refuses the others until Kafka has acknowledged
 * it (the half-open state of a circuit breaker): a send that outlives its caller then
 * costs at most one order per reopening, not every order of those seconds. While Kafka
 * is fine this costs one probe at the first send, and one after a failed send.
 */
export class KafkaSendGate implements OnModuleDestroy {
  private readonly logger = new Logger(KafkaSendGate.name);
  private readonly probeIntervalMs: number;
  private readonly probeTimeoutMs: number;
  /** `undefined` until the first probe has answered or not. */
  private state?: GateState;
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

  /** Whether a send would be handed to Kafka now (false before the first probe, and while a trial send waits). */
  get isOpen(): boolean {
    return this.state?.mode === 'open' || (this.state?.mode === 'trial' && !this.state.inFlight);
  }

  /**
   * Runs `send` if the gate lets it through, and closes the gate when it fails (a timeout
   * the caller put on it included). Throws {@link KafkaUnavailableError} at once, without
   * calling `send`, while the gate is closed or a trial send is waiting. The first call
   * waits for the first probe.
   */
  async pass<T>(send: () => Promise<T>): Promise<T> {
    const state = this.state ?? (await this.probeFirst());
    if (state.mode === 'closed') throw new KafkaUnavailableError(`no Kafka broker has answered since ${state.since.toISOString()} (${state.reason}); nothing was sent`);
    if (state.mode === 'trial') {
      if (state.inFlight) throw new KafkaUnavailableError(`a Kafka broker answers again, and a trial send is waiting for its acknowledgement (sends held back since ${state.since.toISOString()}: ${state.reason}); nothing was sent`);
      state.inFlight = true;
    }
    try {
      const result = await send();
      // An acknowledged trial opens the gate, unless a failure closed it meanwhile.
      if (state.mode === 'trial' && this.state === state) {
        this.state = { mode: 'open' };
        this.logger.log({ closedMs: Date.now() - state.since.getTime() }, 'Kafka acknowledged a trial send: sends let through');
      }
      return result;
    } catch (error) {
      this.close(error);
      throw error;
    }
  }

  /** For `GET /health/ready`: not ready while sends are refused (gate closed, or a trial send waiting), with since when and why. */
  async readiness(): Promise<ReadinessReport> {
    const state = this.state ?? (await this.probeFirst());
    if (state.mode === 'closed') return { ready: false, reason: `sends held back since ${state.since.toISOString()}: ${state.reason}` };
    if (state.mode === 'trial' && state.inFlight) return { ready: false, reason: `a broker answers again, and sends wait for the acknowledgement of a trial send (held back since ${state.since.toISOString()}: ${state.reason})` };
    return { ready: true };
  }

  /** Stops probing (the probe in flight finishes), so a closed gate does not outlive the app. */
  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    await Promise.all([this.firstProbe, this.probing]);
  }

  /** The first probe, shared by every caller that arrives before it answers. */
  private async probeFirst(): Promise<GateState> {
    this.firstProbe ??= this.probe(this.probeTimeoutMs)
      .catch(() => false)
      .then((answers) => (answers ? void (this.state = { mode: 'open' }) : this.close('no broker answered the first probe')));
    await this.firstProbe;
    return this.state ?? { mode: 'closed', since: new Date(), reason: 'stopped' };
  }

  private close(cause: unknown): void {
    if (this.state?.mode === 'closed' || this.destroyed) return;
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const since = this.state?.mode === 'trial' ? this.state.since : new Date();
    this.state = { mode: 'closed', since, reason };
    this.logger.warn({ reason }, 'Kafka did not answer: holding sends back until a broker does');
    this.probing = this.probeUntilAnswered();
  }

  private async probeUntilAnswered(): Promise<void> {
    for (;;) {
      await delay(this.probeIntervalMs, undefined, { ref: false });
      if (this.destroyed) return;
      if (await this.probe(this.probeTimeoutMs).catch(() => false)) {
        if (this.state?.mode !== 'closed') return;
        this.state = { mode: 'trial', since: this.state.since, reason: this.state.reason, inFlight: false };
        this.logger.log({ closedMs: Date.now() - this.state.since.getTime() }, 'a Kafka broker answers again: one trial send let through before the others');
        return;
      }
    }
  }
}
