import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { runLinkedJob, type TracedServerKafka } from '@mqtrace/nest-kafka-tracing';
import { ORDER_ID_ATTRIBUTE, StatusPublisher } from '@mqtrace/service-kit';
import type { ReconciliationItem } from '@mqtrace/contracts';
import { ReconciliationQueue } from './reconciliation-queue.js';

/** Injection token of the consumer of `payments.reconciliation` (commits after each run). */
export const RECONCILIATION_CONSUMER = 'RECONCILIATION_CONSUMER';
/** Injection token of the reconciliation interval. */
export const RECONCILIATION_INTERVAL_MS = 'RECONCILIATION_INTERVAL_MS';
/** The job's name: its span name and `mqtrace.job.name`. */
export const RECONCILIATION_JOB = 'payments.reconciliation';

/**
 * The scheduled reconciliation job (`@nestjs/schedule`, every RECONCILIATION_INTERVAL_MS).
 * A run with items is a root span linked to the trace each payment was charged in,
 * with one child span per payment carrying `order.id`, and publishes `reconciled` for
 * each. A run with nothing to do leaves no span. After each run the queue's consumer
 * commits what is done, so an item not yet reconciled when the process stops or dies
 * is read again, and reconciled, after a restart. A last run happens at shutdown.
 */
@Injectable()
export class ReconciliationJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReconciliationJob.name);
  private readonly tracer = trace.getTracer('payments');
  private running: Promise<void> | undefined;

  constructor(
    private readonly queue: ReconciliationQueue,
    private readonly status: StatusPublisher,
    private readonly scheduler: SchedulerRegistry,
    @Inject(RECONCILIATION_INTERVAL_MS) private readonly intervalMs: number,
    @Inject(RECONCILIATION_CONSUMER) private readonly consumer: Pick<TracedServerKafka, 'commitOffsets'>,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(RECONCILIATION_JOB, setInterval(() => void this.run(), this.intervalMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler.deleteInterval(RECONCILIATION_JOB);
    await this.running;
    await this.run();
  }

  /** One run; a run still going when the next is due is not overlapped. */
  run(): Promise<void> {
    this.running ??= this.reconcile(this.queue.take()).finally(() => (this.running = undefined));
    return this.running;
  }

  private async reconcile(items: readonly ReconciliationItem[]): Promise<void> {
    if (items.length > 0) await this.runLinked(items);
    // Also after an empty run: records of orders reconciled before become committable.
    await this.consumer.commitOffsets(this.queue.committable()).catch((error: unknown) => {
      this.logger.warn({ error: String(error) }, 'reconciliation offsets not committed; those items are read again after a restart');
    });
  }

  private async runLinked(items: readonly ReconciliationItem[]): Promise<void> {
    await runLinkedJob(
      items.map((item) => item.traceContext),
      async () => {
        for (const item of items) await this.reconcileOne(item);
      },
      { jobName: RECONCILIATION_JOB },
    );
    this.logger.log({ items: items.length }, 'reconciliation run');
  }

  private reconcileOne(item: ReconciliationItem): Promise<void> {
    const attributes = { [ORDER_ID_ATTRIBUTE]: item.orderId, 'payment.amount_minor': item.amountMinor, 'payment.currency': item.currency };
    return this.tracer.startActiveSpan('reconcile payment', { attributes }, async (span) => {
      try {
        await this.status.publish(item.orderId, 'reconciled');
        this.queue.reconciled(item.orderId);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        this.queue.retryLater(item);
        this.logger.warn({ orderId: item.orderId, error: String(error) }, 'reconciliation failed; retried next run');
      } finally {
        span.end();
      }
    });
  }
}
