import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { ClientKafka } from '@nestjs/microservices';
import { Observable, of, throwError } from 'rxjs';
import type { OrderStatusEvent } from '@mqtrace/contracts';
import { StatusPublisher } from './status-publisher.js';

const ORDER_ID = '0f8b1c2e-4a5d-4e6f-8a9b-0c1d2e3f4a5b';

/** A producer whose first `failures` sends are refused, recording every event it was given. */
function flakyProducer(failures: number) {
  const sent: OrderStatusEvent[] = [];
  const producer = {
    emit: (_topic: string, { value }: { value: OrderStatusEvent }): Observable<unknown> => {
      sent.push(value);
      return sent.length <= failures ? throwError(() => new Error('Connection error: connect ECONNREFUSED')) : of(undefined);
    },
  };
  return { producer: producer as unknown as ClientKafka, sent };
}

/** Lets the publisher's pending promise chain run up to its next timer. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('StatusPublisher.publishPersistently', () => {
  it('tries again 1 s, then 2 s later, until Kafka acknowledges, sending the same event each time', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-11-22T10:00:00Z') });
    try {
      const { producer, sent } = flakyProducer(2);
      const published = new StatusPublisher(producer, 'order-api').publishPersistently(ORDER_ID, 'placed');
      await settle();
      assert.equal(sent.length, 1);
      mock.timers.tick(999);
      await settle();
      assert.equal(sent.length, 1, 'no second attempt before 1 s');
      mock.timers.tick(1);
      await settle();
      assert.equal(sent.length, 2);
      mock.timers.tick(2_000);
      await settle();
      const event = await published;
      assert.equal(sent.length, 3);
      assert.deepEqual(new Set(sent.map((one) => JSON.stringify(one))).size, 1, 'the same event, time included');
      assert.equal(event.at, '2026-11-22T10:00:00.000Z');
      assert.equal(event.status, 'placed');
    } finally {
      mock.timers.reset();
    }
  });

  it('gives up with the last error once the next pause would pass giveUpAfterMs', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      const { producer, sent } = flakyProducer(Number.POSITIVE_INFINITY);
      const published = new StatusPublisher(producer, 'order-api').publishPersistently(ORDER_ID, 'placed', { giveUpAfterMs: 3_500 });
      const outcome = published.then(() => 'published', (error: Error) => error.message);
      for (let i = 0; i < 5; i += 1) {
        await settle();
        mock.timers.tick(1_000);
      }
      assert.equal(await outcome, 'Connection error: connect ECONNREFUSED');
      assert.equal(sent.length, 3, 'attempts at 0 s, 1 s and 3 s; the next (at 7 s) is past 3.5 s');
    } finally {
      mock.timers.reset();
    }
  });

  it('a graceful shutdown waits for a step still being published', async () => {
    const { producer, sent } = flakyProducer(1);
    const publisher = new StatusPublisher(producer, 'order-api');
    const published = publisher.publishPersistently(ORDER_ID, 'placed');
    await publisher.beforeApplicationShutdown();
    assert.equal(sent.length, 2, 'the second attempt ran before the shutdown went on');
    await published;
  });
});
