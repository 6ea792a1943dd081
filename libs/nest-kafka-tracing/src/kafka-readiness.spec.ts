import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { ConsumerHealth } from '@mqtrace/kafka-tracing';
import { ConsumerStateTracker, kafkaReadiness } from './kafka-readiness.js';

const record = (partition: number) => ({ topic: 't', partition, offset: '5', key: null, value: null, headers: {}, timestamp: '0' });
const never = () => () => undefined;

/** The slice of a kafkajs consumer the tracker listens to. */
function fakeConsumer() {
  const emitter = new EventEmitter();
  const events = { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', CRASH: 'crash', STOP: 'stop', DISCONNECT: 'disconnect' };
  const on = (event: string, listener: (e: unknown) => void) => {
    emitter.on(event, listener);
    return () => void emitter.off(event, listener);
  };
  return { consumer: { on, events } as never, emit: (event: string, payload: unknown = {}) => emitter.emit(event, { payload }) };
}

describe('kafkaReadiness', () => {
  it('is ready while consuming with a reachable broker, a retry pause being normal', () => {
    const health = new ConsumerHealth();
    health.pauseUntil(record(0), 'retry-not-due', Date.now() + 60_000, never);
    assert.deepEqual(kafkaReadiness('consuming', true, health), { ready: true, consumer: 'consuming', broker: 'reachable', pausedPartitions: 1, stuckPartitions: 0 });
    health.close();
  });

  it('is not ready while a partition waits on a hand-off that could not be produced', () => {
    const health = new ConsumerHealth();
    health.pauseUntil(record(1), 'handoff-failed', Date.now() + 60_000, never);
    const readiness = kafkaReadiness('consuming', true, health);
    assert.equal(readiness.ready, false);
    assert.equal(readiness.stuckPartitions, 1);
    assert.match(readiness.reason ?? '', /1 partition\(s\) wait on a retry or dead-letter record/);
    health.close();
  });

  it('names every reason at once', () => {
    const readiness = kafkaReadiness('reconnecting', false, new ConsumerHealth());
    assert.equal(readiness.reason, 'consumer is reconnecting; no Kafka broker answers');
  });
});

describe('ConsumerStateTracker', () => {
  it('follows join, rebalance, a retriable crash and a final one', () => {
    const tracker = new ConsumerStateTracker();
    const { consumer, emit } = fakeConsumer();
    const unfollow = tracker.follow(consumer);
    assert.equal(tracker.state, 'connecting');
    emit('join');
    assert.equal(tracker.state, 'consuming');
    emit('rebalancing');
    assert.equal(tracker.state, 'rebalancing');
    emit('crash', { restart: true });
    assert.equal(tracker.state, 'reconnecting');
    emit('join');
    emit('crash', { restart: false });
    assert.equal(tracker.state, 'stopped');
    unfollow();
    emit('join');
    assert.equal(tracker.state, 'stopped', 'an unfollowed consumer no longer counts');
  });
});
