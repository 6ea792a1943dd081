import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { stackEndpoints } from '@mqtrace/config';

/** Per partition, an offset (the next record's). */
export type TopicOffsets = ReadonlyMap<number, string>;

/** A record as a test reads it back from the broker. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key?: string;
  readonly value?: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

const kafka = (brokers: readonly string[]) => new Kafka({ brokers: [...brokers], logLevel: logLevel.NOTHING });

/** The end of every partition of `topic` now: what a later read starts from. `brokers`: the stack's by default. */
export async function topicEnd(topic: string, brokers: readonly string[] = stackEndpoints().kafkaBrokers): Promise<TopicOffsets> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, high]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every record of `topic` from `since` (a {@link topicEnd} taken earlier; partitions it
 * lacks from their start) to the topic's end now, read by a throw-away consumer group.
 * `brokers`: the stack's by default.
 */
export async function readTopic(topic: string, since: TopicOffsets, brokers: readonly string[] = stackEndpoints().kafkaBrokers): Promise<ReadRecord[]> {
  const until = await topicEnd(topic, brokers);
  const pending = new Set([...until].filter(([partition, end]) => BigInt(since.get(partition) ?? '0') < BigInt(end)).map(([partition]) => partition));
  if (pending.size === 0) return [];
  const consumer = kafka(brokers).consumer({ groupId: `test-reader-${randomUUID()}` });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const end = BigInt(until.get(partition) ?? '0');
        if (BigInt(message.offset) >= BigInt(since.get(partition) ?? '0') && BigInt(message.offset) < end) {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(Array.isArray(value) ? value[0] : value ?? '')]));
          records.push({ partition, offset: message.offset, ...(message.key ? { key: message.key.toString() } : {}), ...(message.value ? { value: message.value } : {}), headers });
        }
        if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
        if (pending.size === 0) finished();
      },
    });
    for (const [partition, offset] of since) if (pending.has(partition)) consumer.seek({ topic, partition, offset });
    await done;
    return records;
  } finally {
    await consumer.disconnect();
  }
}
