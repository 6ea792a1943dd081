import { ClientKafka, type OutgoingEvent, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { Attributes } from '@opentelemetry/api';
import type { Kafka } from 'kafkajs';
import { tracingOptionsFromEnv } from '@mqtrace/kafka-tracing';
import type { TracedClientKafkaOptions, TracedClientTracing } from './client-options.js';
import { brokerAnswers } from './broker-probe.js';
import { assertNestSurface } from './nest-surface.js';
import { traceProducerSends, withMessageAttributes } from './traced-producer.js';

/**
 * Nest's Kafka client whose every path (`emit`, `emitBatch`, and request/response
 * `send`) produces each message with its own PRODUCER span and that span's context in
 * the record headers, so no consumer becomes an orphan root. Register it where a
 * `ClientKafka` would go:
 *
 * ```ts
 * ClientsModule.register([{ name: 'KAFKA', customClass: TracedClientKafka, options: { client: { brokers }, tracing: { relation: 'fanout' } } }]);
 * ```
 */
export class TracedClientKafka extends ClientKafka {
  private readonly settings: TracedClientTracing;
  private probeClient?: Promise<Kafka>;

  /** Throws at once when the installed Nest lacks what the traced client relies on. */
  constructor({ tracing = {}, ...options }: TracedClientKafkaOptions) {
    super(options);
    assertNestSurface('client', this);
    this.settings = tracing;
  }

  /** The kafkajs client, whose producers trace every send. */
  override async createClient<T = Kafka>(): Promise<T> {
    const kafka = await super.createClient<Kafka>();
    const makeProducer = kafka.producer.bind(kafka);
    const settings = { switches: this.settings.switches ?? tracingOptionsFromEnv(), relation: this.settings.relation ?? 'child' } as const;
    kafka.producer = (config) => traceProducerSends(makeProducer(config), settings);
    return kafka as T;
  }

  /**
   * Whether a broker answers a metadata request within `timeoutMs`: for a caller that
   * holds its sends back while Kafka is away (a send handed to kafkajs then cannot be
   * taken back, and may be written long after the caller gave up on it). Uses a client of
   * its own, so it works before the producer ever connected.
   */
  async brokerAnswers(timeoutMs: number): Promise<boolean> {
    this.probeClient ??= super.createClient<Kafka>();
    return brokerAnswers(await this.probeClient, timeoutMs);
  }

  protected override dispatchEvent(packet: OutgoingEvent): Promise<unknown> {
    return withMessageAttributes([this.attributesOf(packet.pattern, packet.data)], () => super.dispatchEvent(packet));
  }

  protected override dispatchBatchEvent<TInput = unknown>(packets: ReadPacket<{ messages: TInput[] }>): Promise<unknown> {
    const messages = packets.data?.messages ?? [];
    return withMessageAttributes(
      messages.map((message) => this.attributesOf(packets.pattern, message)),
      () => super.dispatchBatchEvent(packets),
    );
  }

  protected override publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => unknown): () => void {
    return withMessageAttributes([this.attributesOf(partialPacket.pattern, partialPacket.data)], () => super.publish(partialPacket, callback));
  }

  private attributesOf(pattern: unknown, data: unknown): Attributes | undefined {
    return this.settings.producerAttributesHook?.(this.normalizePattern(pattern as string), data);
  }
}
