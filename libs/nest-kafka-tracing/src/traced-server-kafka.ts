import { ServerKafka, type KafkaOptions } from '@nestjs/microservices';
import { DEFAULT_RETRY_POLICY, processWithRetries, tracingOptionsFromEnv, type KafkaTracingOptions } from '@mqtrace/kafka-tracing';
import { kafkaJsSender, recordFromKafkaJs } from '@mqtrace/kafka-tracing/kafkajs';
import type { TracingTransportOptions, WithTracing } from './tracing-transport-options.js';

type ServerOptions = Required<KafkaOptions>['options'];
type EachMessagePayload = Parameters<ServerKafka['handleMessage']>[0];

/**
 * Nest's Kafka transport with one CONSUMER span per message around every
 * `@EventPattern` / `@MessagePattern` handler, the record's own trace context active
 * inside the handler, bounded retries, and a dead-letter topic that keeps the trace.
 * Handlers stay free of tracing code.
 *
 * ```ts
 * app.connectMicroservice({ strategy: new TracedServerKafka({ client: { brokers }, consumer: { groupId }, tracing: { retry } }) });
 * ```
 */
export class TracedServerKafka extends ServerKafka {
  private readonly tracingSettings: TracingTransportOptions;
  private readonly switches: KafkaTracingOptions;

  constructor({ tracing = {}, ...options }: WithTracing<ServerOptions>) {
    super(options);
    this.tracingSettings = tracing;
    this.switches = tracing.tracing ?? tracingOptionsFromEnv();
  }

  override async handleMessage(payload: EachMessagePayload): Promise<void> {
    // Nest's parser rewrites the message in place, so each attempt gets a fresh copy and
    // the record for tracing is taken before the first one.
    const original = copyOf(payload.message);
    const record = recordFromKafkaJs(payload.topic, payload.partition, original);
    const producer = this.producer;
    if (!producer) throw new Error('TracedServerKafka received a message before its producer was created');

    const outcome = await processWithRetries(
      record,
      () => super.handleMessage({ ...payload, message: copyOf(original) }),
      {
        sender: kafkaJsSender(producer),
        consumerGroup: this.groupId,
        attributes: this.tracingSettings.consumerAttributes?.(record),
        retry: this.tracingSettings.retry ?? DEFAULT_RETRY_POLICY,
        ...(this.tracingSettings.deadLetterTopic ? { deadLetterTopicFor: this.tracingSettings.deadLetterTopic } : {}),
        heartbeat: payload.heartbeat,
        tracing: this.switches,
      },
    );
    if (outcome.status === 'dead-lettered') {
      this.logger.warn(
        `dead-lettered ${record.topic}[${record.partition}]@${record.offset} after ${outcome.attempts} attempt(s): ${String(outcome.error)}`,
      );
    }
    // Not done: kafkajs must not commit it, so it is delivered again.
    if (outcome.status === 'held' || outcome.status === 'interrupted') {
      throw new Error(`${record.topic}[${record.partition}]@${record.offset} is not done (${outcome.status})`);
    }
  }
}

/** A copy of a kafkajs message that Nest may rewrite without touching the original. */
function copyOf<T extends { headers?: object }>(message: T): T {
  return { ...message, headers: { ...message.headers } };
}
