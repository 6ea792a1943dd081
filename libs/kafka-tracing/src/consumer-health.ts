// Pattern: batches, what a consumer reports. Which partitions it paused and why, and
// which records it holds because their retry or dead-letter record could not be produced.
import type { Handoff } from './handoff.js';
import type { IncomingRecord } from './record.js';

/** Why a partition is paused. */
export type PauseReason =
  /** A retry record is not due yet: normal, the partition resumes by itself. */
  | 'retry-not-due'
  /** A record's retry or dead-letter record could not be produced: the service is degraded. */
  | 'handoff-failed';

/** One paused partition. */
export interface PausedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly reason: PauseReason;
  /** The first record not yet done; it is delivered again on resume. */
  readonly offset: string;
  readonly since: number;
  readonly resumeAt: number;
}

/** A record whose handler ran but whose hand-off is still to be produced. */
interface HeldRecord {
  readonly handoff: Handoff;
  /** How many times producing the hand-off failed, for the growing pause. */
  readonly failures: number;
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const recordKeyOf = (record: IncomingRecord) => `${keyOf(record.topic, record.partition)}\u0000${record.offset}`;

/**
 * The state a traced consumer keeps across batches, and its health for a readiness
 * probe: `degraded()` is true while any partition waits on a failed hand-off. One
 * instance per consumer; `close()` when the consumer stops.
 */
export class ConsumerHealth {
  private readonly paused = new Map<string, PausedPartition & { readonly timer: NodeJS.Timeout; readonly resume: () => void }>();
  private readonly held = new Map<string, HeldRecord>();

  /** Every paused partition, with its reason. */
  pausedPartitions(): PausedPartition[] {
    return [...this.paused.values()].map(({ timer: _timer, resume: _resume, ...paused }) => paused);
  }

  /** True while a partition is paused because a hand-off failed (report not-ready). */
  degraded(): boolean {
    return [...this.paused.values()].some((paused) => paused.reason === 'handoff-failed') || this.held.size > 0;
  }

  /** Records held because their hand-off failed, at most one per partition. */
  heldRecords(): number {
    return this.held.size;
  }

  /**
   * Pauses a partition until `resumeAt`, through the client's `pause` (which returns its
   * `resume`). The timer does not keep the process alive; `close()` clears it.
   */
  pauseUntil(record: IncomingRecord, reason: PauseReason, resumeAt: number, pause: () => () => void, now = Date.now()): void {
    const key = keyOf(record.topic, record.partition);
    clearTimeout(this.paused.get(key)?.timer);
    const resume = pause();
    const timer = setTimeout(() => {
      this.paused.delete(key);
      resume();
    }, Math.max(0, resumeAt - now));
    timer.unref();
    this.paused.set(key, { topic: record.topic, partition: record.partition, reason, offset: record.offset, since: now, resumeAt, timer, resume });
  }

  /** Remembers a record whose hand-off failed; returns how often it failed so far. */
  hold(record: IncomingRecord, handoff: Handoff): number {
    const failures = (this.held.get(recordKeyOf(record))?.failures ?? 0) + 1;
    this.held.set(recordKeyOf(record), { handoff, failures });
    return failures;
  }

  /** The pending hand-off of a redelivered record, if it is held. */
  heldHandoff(record: IncomingRecord): Handoff | undefined {
    return this.held.get(recordKeyOf(record))?.handoff;
  }

  /** Forgets a held record once its hand-off was produced; its partition is flowing again. */
  release(record: IncomingRecord): void {
    this.held.delete(recordKeyOf(record));
    const key = keyOf(record.topic, record.partition);
    clearTimeout(this.paused.get(key)?.timer);
    this.paused.delete(key);
  }

  /**
   * Forgets what belongs to partitions this member no longer owns, after a rebalance
   * (`assignment`: topic → partitions, as kafkajs' GROUP_JOIN event reports it). Their
   * held records are another member's to deliver now, so they must not keep this one
   * degraded, and their pauses are lifted so a partition that comes back is fetched.
   */
  keepOnly(assignment: Readonly<Record<string, readonly number[]>>): void {
    const owned = new Set(Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((partition) => keyOf(topic, partition))));
    for (const [key, paused] of this.paused) {
      if (owned.has(key)) continue;
      clearTimeout(paused.timer);
      paused.resume();
      this.paused.delete(key);
    }
    for (const key of this.held.keys()) {
      if (!owned.has(key.slice(0, key.lastIndexOf('\u0000')))) this.held.delete(key);
    }
  }

  /** Clears every resume timer (the consumer stopped; its pauses die with it). */
  close(): void {
    for (const paused of this.paused.values()) clearTimeout(paused.timer);
    this.paused.clear();
  }
}
