import { ClientKafka, type KafkaOptions, type OutgoingEvent } from '@nestjs/microservices';
import { sendTraced, tracingOptionsFromEnv, type KafkaTracingOptions } from '@mqtrace/kafka-tracing';
import { kafkaJsSender } from '@mqtrace/kafka-tracing/kafkajs';
import type { TracingTransportOptions, WithTracing } from './tracing-transport-options.js';

type ClientOptions = Required<KafkaOptions>['options'];

/**
 * Nest's Kafka client whose `emit` sends each event with its own PRODUCER span and the
 * span's context injected into the record headers. Register it where a `ClientKafka`
 * would go:
 *
 * ```ts
 * ClientsModule.register([{ name: 'KAFKA', customClass: TracedClientKafka, options: { client: { brokers }, tracing: { relation: 'fanout' } } }]);
 * ```
 */
export class TracedClientKafka extends ClientKafka {
  private readonly tracingSettings: TracingTransportOptions;
  private readonly switches: KafkaTracingOptions;

  constructor({ tracing = {}, ...options }: WithTracing<ClientOptions>) {
    super(options);
    this.tracingSettings = tracing;
    this.switches = tracing.tracing ?? tracingOptionsFromEnv();
  }

  protected override async dispatchEvent(packet: OutgoingEvent): Promise<unknown> {
    const topic = this.normalizePattern(packet.pattern);
    const message = await this.serializer.serialize(packet.data, { pattern: topic });
    const sender = kafkaJsSender({ send: (record) => this.producer.send({ ...record, ...this.options.send }) });
    return sendTraced(sender, topic, [message], {
      relation: this.tracingSettings.relation ?? 'child',
      attributes: this.tracingSettings.producerAttributes?.(topic, packet.data),
      tracing: this.switches,
    });
  }
}
