import { setTimeout as delay } from 'node:timers/promises';
import { KafkaContext, RpcException, ServerKafka, type MessageHandler, type OutgoingResponse } from '@nestjs/microservices';
import { trace, type Span } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, KafkaMessage, RecordMetadata } from 'kafkajs';
import { isObservable, tap } from 'rxjs';
import {
  ConsumerHealth,
  DEFAULT_RETRY_POLICY,
  deadLetterTopicOf,
  processBatch,
  recordSpanError,
  retryTopicOf,
  tracingOptionsFromEnv,
  type Delivery,
  type KafkaTracingOptions,
  type RetryPolicy,
} from '@mqtrace/kafka-tracing';
import { checkedHeartbeatInterval, kafkaJsSender, recordFromKafkaJs, watchAssignments } from '@mqtrace/kafka-tracing/kafkajs';
import { brokerAnswers } from './broker-probe.js';
import { ConsumerStateTracker, kafkaReadiness, type KafkaReadiness } from './kafka-readiness.js';
import { assertNestSurface } from './nest-surface.js';
import type { TracedServerKafkaOptions, TracedServerTracing } from './server-options.js';

/**
 * Nest's Kafka transport with one CONSUMER span per record around every `@EventPattern`
 * and `@MessagePattern` handler, the record's own trace context active inside it,
 * bounded retries (blocking, or through retry topics), a dead-letter topic that keeps the
 * trace, and a `health` a readiness probe can read. Handlers stay free of tracing code.
 *
 * It consumes with kafkajs' `eachBatch` through `@mqtrace/kafka-tracing`'s
 * `processBatch` (Nest's own transport uses `eachMessage`, which cannot leave a record
 * uncommitted without an error) and hands each record to Nest's `handleMessage`.
 *
 * Request/response (`@MessagePattern`): a handler error is recorded on the span and
 * travels back to the caller as the reply, as Nest does; it is not retried or
 * dead-lettered (the caller is waiting for that answer). A handler that throws Nest's
 * `KafkaRetriableException` asks for a redelivery: that goes through the same retries and
 * dead letters as an event.
 *
 * Kafka unreachable at start is not fatal (Nest's own transport rejects `listen()` and
 * the process dies, to be restarted into the same wall): `listen()` keeps trying with a
 * growing pause, and {@link TracedServerKafka.readiness} says not-ready meanwhile.
 *
 * ```ts
 * const app = await NestFactory.createMicroservice(AppModule, {
 *   strategy: new TracedServerKafka({ client: { brokers }, consumer: { groupId: 'payments' }, tracing: { retry } }),
 * });
 * app.useGlobalFilters(new RethrowRpcErrorsFilter());
 * ```
 */
export class TracedServerKafka extends ServerKafka {
  /** Paused partitions and held records; `health.degraded()` means "report not ready". */
  readonly health: ConsumerHealth;
  private readonly retry: RetryPolicy;
  private readonly switches: KafkaTracingOptions;
  private readonly settings: TracedServerTracing;
  private readonly heartbeatIntervalMs: number;
  private warnedAboutGenericErrors = false;
  private readonly consumerState = new ConsumerStateTracker();
  private unfollowConsumer: () => void = () => undefined;
  private closing = new AbortController();
  private readonly topicsToCreate: readonly string[];

  /** Throws at once when the retry policy or the installed Nest cannot work as documented. */
  constructor({ tracing = {}, createTopics = [], ...options }: TracedServerKafkaOptions) {
    super(options);
    assertNestSurface('server', this);
    this.topicsToCreate = [...new Set(createTopics)];
    this.settings = tracing;
    this.retry = tracing.retry ?? DEFAULT_RETRY_POLICY;
    this.heartbeatIntervalMs = checkedHeartbeatInterval(this.retry, {
      ...(options.consumer?.rebalanceTimeout !== undefined ? { rebalanceTimeoutMs: options.consumer.rebalanceTimeout } : {}),
      ...(options.consumer?.heartbeatInterval !== undefined ? { heartbeatIntervalMs: options.consumer.heartbeatInterval } : {}),
    });
    this.switches = tracing.switches ?? tracingOptionsFromEnv();
    this.health = tracing.health ?? new ConsumerHealth();
  }

  /** Wraps request/response handlers so their errors mark the CONSUMER span. */
  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler = false, extras: Record<string, unknown> = {}): void {
    super.addHandler(pattern, isEventHandler ? callback : recordingReplyErrors(callback), isEventHandler, extras);
  }

  /**
   * Connects, subscribes and starts consuming; while Kafka cannot be reached, tries again
   * with a pause growing from 1 s to 30 s, until it succeeds or the server is closed.
   * `callback` (Nest's) is called once, when consuming has started.
   */
  override async listen(callback: (error?: unknown) => void): Promise<void> {
    this.closing = new AbortController();
    const { signal } = this.closing;
    for (let attempt = 1; !signal.aborted; attempt += 1) {
      try {
        this.client = await this.createClient();
        await this.start(callback);
        return;
      } catch (error) {
        await this.discardPartialStart();
        if (signal.aborted) return;
        const pauseMs = Math.min(30_000, 1_000 * 2 ** (attempt - 1));
        this.logger.warn(`Kafka not reachable (attempt ${attempt}: ${error instanceof Error ? error.message : String(error)}); trying again in ${pauseMs} ms`);
        await delay(pauseMs, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  /**
   * Whether this server should receive traffic: its consumer is in its group, a broker
   * answers a metadata request (within 3 s), and no partition waits on a hand-off that
   * could not be produced. For a readiness endpoint; cheap enough to call per probe.
   */
  async readiness(): Promise<KafkaReadiness> {
    return kafkaReadiness(this.consumerState.state, await this.brokerAnswers(), this.health);
  }

  /**
   * The offset the next record of each partition of `topic` will get (the high
   * watermark), for a consumer that must know when it has read everything written before
   * it started (a projection rebuilt at start).
   */
  async endOffsets(topic: string): Promise<Map<number, bigint>> {
    const admin = this.connectedClient().admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Commits, for each partition, the offset of the next record to read: for a consumer
   * that does not commit as it goes (`run: { autoCommit: false }`) because a record is
   * done only later (a job that handles queued items). What is not committed is
   * delivered again after a restart or a rebalance.
   */
  async commitOffsets(offsets: ReadonlyArray<{ readonly topic: string; readonly partition: number; readonly offset: string }>): Promise<void> {
    if (offsets.length === 0) return;
    if (!this.consumer) throw new Error('TracedServerKafka is not consuming: nothing to commit');
    await this.consumer.commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
  }

  /** Follows the consumer's life for {@link readiness}, beside Nest's own status events. */
  protected override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    this.unfollowConsumer();
    if (this.consumer) this.unfollowConsumer = this.consumerState.follow(this.consumer);
  }

  /** Creates the missing `createTopics`, subscribes to the handlers' topics (and their retry topics) and consumes batch-wise. */
  override async bindEvents(consumer: Consumer): Promise<void> {
    await this.createMissingTopics();
    const patterns = [...this.messageHandlers.keys()] as Array<string | RegExp>;
    const retryTopics = this.retry.mode === 'retry-topic' ? patterns.map((pattern) => this.retryTopicOfPattern(pattern)) : [];
    if (patterns.length > 0) await consumer.subscribe({ ...this.options.subscribe, topics: [...patterns, ...retryTopics] });
    watchAssignments(consumer, this.health);
    // Nest's option type already leaves eachMessage out (it would win over eachBatch in kafkajs).
    await consumer.run({ ...this.options.run, eachBatchAutoResolve: false, eachBatch: (payload) => this.handleBatch(payload) });
  }

  /**
   * Replies as Nest's default RPC filter would: an `RpcException` answers with its error,
   * anything else with the generic message. The span has recorded the original already;
   * the caller must not receive internals (nor `{}`, which is what an `Error` serialises to).
   */
  override sendMessage(message: OutgoingResponse, replyTopic: string, replyPartition: string | undefined | null, correlationId: string, context: KafkaContext): Promise<RecordMetadata[]> {
    return super.sendMessage(message.err === undefined ? message : { ...message, err: replyError(message.err) }, replyTopic, replyPartition, correlationId, context);
  }

  /** Stops consuming (the record in hand finishes, resolved offsets are committed), then clears resume timers. */
  override async close(): Promise<void> {
    this.closing.abort();
    await super.close();
    this.health.close();
    this.unfollowConsumer();
    this.consumerState.stopped();
  }

  /** After a failed start: disconnects what did connect, so the next attempt starts clean. */
  private async discardPartialStart(): Promise<void> {
    // Unfollowed first: this consumer's DISCONNECT must not read as the server stopping.
    this.unfollowConsumer();
    await Promise.allSettled([this.consumer?.disconnect(), this.producer?.disconnect()]);
    this.consumer = null;
    this.producer = null;
    this.client = null;
  }

  /**
   * Part of every start attempt, so a broker that is away is simply tried again. A
   * refusal (no right to create topics, where operators create them) is logged, not
   * fatal: the subscription says whether the topics are there.
   */
  private async createMissingTopics(): Promise<void> {
    if (this.topicsToCreate.length === 0) return;
    const admin = this.connectedClient().admin();
    await admin.connect();
    try {
      // Resolves false when every topic existed; throws if any other could not be created.
      const created = await admin.createTopics({ topics: this.topicsToCreate.map((topic) => ({ topic })), waitForLeaders: true });
      if (created) this.logger.log(`topics created where missing: ${this.topicsToCreate.join(', ')}`);
    } catch (error) {
      const reasons = (error as { errors?: unknown[] }).errors?.map(String) ?? [String(error)];
      this.logger.warn(`could not create the topics ${this.topicsToCreate.join(', ')} (${reasons.join('; ')}); subscribing to what exists`);
    } finally {
      await admin.disconnect();
    }
  }

  private connectedClient() {
    if (!this.client) throw new Error('TracedServerKafka is not connected to Kafka yet');
    return this.client;
  }

  private async brokerAnswers(): Promise<boolean> {
    return this.client ? brokerAnswers(this.client, 3_000) : false;
  }

  /** One partition's batch: each record in its own span, with retries and dead letters. */
  private async handleBatch({ batch, resolveOffset, heartbeat, pause, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new Error('TracedServerKafka received records before its producer was connected');
    const messages = new Map(batch.messages.map((message) => [message.offset, message]));
    const records = batch.messages.map((message) => recordFromKafkaJs(batch.topic, batch.partition, message));
    await processBatch(
      records,
      (record, _span, delivery) => this.dispatch(messages.get(record.offset) ?? missing(record.offset), batch.partition, delivery, heartbeat, pause),
      { isRunning, isStale, resolveOffset, heartbeat, pause },
      {
        sender: kafkaJsSender(producer),
        health: this.health,
        retry: this.retry,
        consumerGroup: this.groupId,
        tracing: this.switches,
        heartbeatIntervalMs: this.heartbeatIntervalMs,
        deadLetterTopicFor: this.settings.deadLetterTopicFor ?? deadLetterTopicOf,
        retryTopicFor: this.settings.retryTopicFor ?? retryTopicOf,
        ...(this.settings.consumerAttributesHook ? { recordAttributes: this.settings.consumerAttributesHook } : {}),
      },
    );
  }

  /** Hands one delivery to Nest, under the topic whose handler must run (also for a retry record). */
  private async dispatch(message: KafkaMessage, partition: number, delivery: Delivery, heartbeat: () => Promise<void>, pause: () => () => void): Promise<void> {
    try {
      await super.handleMessage({ topic: delivery.topic, partition, message, heartbeat, pause });
    } catch (error) {
      this.warnIfOriginalErrorLost(error);
      throw error;
    }
  }

  /**
   * Nest's default RPC exception filter replaces any error it does not know with
   * `{ status: 'error', message: 'Internal server error' }`. Retries and dead letters still
   * work, but the span and the dead-letter record cannot say what failed, and a poison
   * error is retried like any other. Say so loudly, once.
   */
  private warnIfOriginalErrorLost(error: unknown): void {
    if (this.warnedAboutGenericErrors || error instanceof Error || typeof error !== 'object' || error === null) return;
    if ((error as { message?: unknown }).message !== 'Internal server error') return;
    this.warnedAboutGenericErrors = true;
    this.logger.error(
      "a handler's error reached the Kafka transport as Nest's generic 'Internal server error': its type is lost and poison records are retried. " +
        'Install RethrowRpcErrorsFilter on the microservice: app.useGlobalFilters(new RethrowRpcErrorsFilter())',
    );
  }

  private retryTopicOfPattern(pattern: string | RegExp): string {
    if (typeof pattern !== 'string') throw new Error(`retry-topic mode needs topic names, not the pattern ${String(pattern)}`);
    return (this.settings.retryTopicFor ?? retryTopicOf)(pattern);
  }
}

/**
 * A request/response handler whose failures are recorded on the active CONSUMER span,
 * whether it throws, rejects, or returns a stream that errors.
 */
function recordingReplyErrors(handler: MessageHandler): MessageHandler {
  const recording = (async (data: unknown, context: unknown) => {
    const span = trace.getActiveSpan();
    const fail = (error: unknown) => span && markFailed(span, error);
    try {
      const result: unknown = await handler(data, context);
      return isObservable(result) ? result.pipe(tap({ error: fail })) : result;
    } catch (error) {
      fail(error);
      throw error;
    }
  }) as MessageHandler;
  return recording;
}

/** The error as a caller may see it (the shape Nest's default RPC exception filter gives). */
function replyError(error: unknown): unknown {
  if (error instanceof RpcException) {
    const answer = error.getError();
    return typeof answer === 'object' && answer !== null ? answer : { status: 'error', message: answer };
  }
  return error instanceof Error ? { status: 'error', message: 'Internal server error' } : error;
}

function missing(offset: string): never {
  throw new Error(`no kafkajs message at offset ${offset} in its own batch`);
}

function markFailed(span: Span, error: unknown): void {
  if (span.isRecording()) recordSpanError(span, error);
}
