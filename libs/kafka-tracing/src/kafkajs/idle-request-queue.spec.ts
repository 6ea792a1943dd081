import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kafkaJsRequestQueue, quietIdleRequestQueues } from './index.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A request queue as kafkajs makes one per broker connection, with nothing sent yet. */
function newQueue() {
  const RequestQueue = kafkaJsRequestQueue();
  return new RequestQueue({ requestTimeout: 30_000, clientId: 'spec', broker: 'localhost:9092', logger: silent }) as InstanceType<ReturnType<typeof kafkaJsRequestQueue>> & { throttledUntil: number };
}

describe('kafkajs idle request queues', () => {
  it('loading @mqtrace/kafka-tracing/kafkajs leaves an idle connection without a timer (kafkajs would re-arm one every millisecond)', () => {
    const queue = newQueue();
    try {
      // What kafkajs does after every response.
      queue.checkPendingRequests();
      assert.equal(queue.throttleCheckTimeoutId, null, 'no check armed while nothing waits');
    } finally {
      queue.destroy();
    }
  });

  it('still arms a check while a request waits on client-side throttling', () => {
    const queue = newQueue();
    try {
      queue.throttledUntil = Date.now() + 60_000;
      queue.pending.push({ correlationId: 1 });
      queue.scheduleCheckPendingRequests();
      assert.notEqual(queue.throttleCheckTimeoutId, null, 'a check is armed for the end of the throttling');
    } finally {
      queue.destroy();
    }
  });

  it('is applied once however often it is called', () => {
    const prototype = kafkaJsRequestQueue().prototype;
    const fixed = prototype.scheduleCheckPendingRequests;
    quietIdleRequestQueues();
    assert.equal(prototype.scheduleCheckPendingRequests, fixed);
  });
});
