import type { Consumer } from 'kafkajs';
import type { ConsumerHealth } from '@mqtrace/kafka-tracing';

/**
 * Where a traced consumer stands in its life: `connecting` until it first joins its
 * group (also while Kafka is unreachable at start), `consuming` once it has, `rebalancing`
 * while its group redistributes partitions, `reconnecting` after kafkajs crashed it on a
 * retriable error (it restarts by itself), `stopped` after it was closed or crashed for good.
 */
export type ConsumerState = 'connecting' | 'consuming' | 'rebalancing' | 'reconnecting' | 'stopped';

/** What a readiness probe needs to know about a traced Kafka server. */
export interface KafkaReadiness {
  /** True when the consumer is in its group, the broker answers and no hand-off is stuck. */
  readonly ready: boolean;
  readonly consumer: ConsumerState;
  /** Whether a metadata request reached a broker just now. */
  readonly broker: 'reachable' | 'unreachable';
  /** Partitions paused for any reason (a retry that is not due is normal). */
  readonly pausedPartitions: number;
  /** Partitions paused because a retry or dead-letter record could not be produced. */
  readonly stuckPartitions: number;
  /** Why it is not ready, in words; absent when ready. */
  readonly reason?: string;
}

/** The consumer states in which records flow (a rebalance is a short, normal pause). */
const FLOWING: readonly ConsumerState[] = ['consuming', 'rebalancing'];

/**
 * Follows a kafkajs consumer's life through its instrumentation events. kafkajs restarts
 * a consumer that crashed on a retriable error (a lost broker), so `reconnecting` is
 * temporary; a non-retriable crash stops it for good.
 */
export class ConsumerStateTracker {
  private current: ConsumerState = 'connecting';

  /** The state now. */
  get state(): ConsumerState {
    return this.current;
  }

  /** Starts following a (new) consumer; returns what stops following it. */
  follow(consumer: Pick<Consumer, 'on' | 'events'>): () => void {
    this.current = 'connecting';
    const { GROUP_JOIN, REBALANCING, CRASH, STOP, DISCONNECT } = consumer.events;
    const stops = [
      consumer.on(GROUP_JOIN, () => (this.current = 'consuming')),
      consumer.on(REBALANCING, () => (this.current = 'rebalancing')),
      consumer.on(CRASH, ({ payload }) => (this.current = payload.restart ? 'reconnecting' : 'stopped')),
      consumer.on(STOP, () => (this.current = 'stopped')),
      consumer.on(DISCONNECT, () => (this.current = 'stopped')),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** Marks the consumer closed (no event fires when it was never connected). */
  stopped(): void {
    this.current = 'stopped';
  }
}

/** Combines what the consumer, the broker probe and the consumer's health say. */
export function kafkaReadiness(consumer: ConsumerState, brokerReachable: boolean, health: ConsumerHealth): KafkaReadiness {
  const paused = health.pausedPartitions();
  const stuckPartitions = paused.filter(({ reason }) => reason === 'handoff-failed').length;
  const reasons = [
    ...(FLOWING.includes(consumer) ? [] : [`consumer is ${consumer}`]),
    ...(brokerReachable ? [] : ['no Kafka broker answers']),
    ...(health.degraded() ? [`${Math.max(stuckPartitions, health.heldRecords())} partition(s) wait on a retry or dead-letter record that could not be produced`] : []),
  ];
  return {
    ready: reasons.length === 0,
    consumer,
    broker: brokerReachable ? 'reachable' : 'unreachable',
    pausedPartitions: paused.length,
    stuckPartitions,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
  };
}
