import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { otlpEndpoint as configuredOtlpEndpoint } from '@mqtrace/config';
import { assertTelemetryNotStarted, rememberTelemetry } from './registered-telemetry.js';
import { serviceInstrumentations } from './service-instrumentations.js';

/**
 * How long a shutdown waits for the last export by default. Well inside the 30 s a
 * container usually gets between SIGTERM and SIGKILL, leaving most of it for the
 * application to finish its message; one export attempt times out after 5 s.
 */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** Options of {@link startTelemetry}. */
export interface TelemetryOptions {
  readonly serviceName: string;
  /** `service.version` of every span. */
  readonly serviceVersion?: string;
  /** `deployment.environment.name` of every span (`development`, `workshop`, `production`...). */
  readonly deploymentEnvironment?: string;
  /** OTLP/HTTP base URL; default `OTEL_EXPORTER_OTLP_ENDPOINT` or the native stack. */
  readonly otlpEndpoint?: string;
  /** Upper bound of {@link Telemetry.shutdown}; default {@link DEFAULT_SHUTDOWN_TIMEOUT_MS}. */
  readonly shutdownTimeoutMs?: number;
}

/** A started SDK. */
export interface Telemetry {
  /**
   * Flushes pending spans and stops the SDK. Call it last, after the application has
   * closed (see `shutdownTelemetry`, which reaches the same handle from anywhere).
   * Every call returns the same promise. Never rejects and settles within the shutdown
   * timeout: spans that cannot be delivered by then are reported on stderr and dropped,
   * so a collector outage cannot turn a clean exit into a crash or a hang.
   */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for a service: W3C trace context and baggage, the service
 * instrumentations, and OTLP export through a bounded batch queue. When the collector
 * is down, spans beyond the queue are dropped: memory stays bounded and requests never
 * wait on telemetry.
 *
 * Installs no signal handler: flushing at the first SIGTERM would drop the spans of the
 * message still in hand, so the application calls `shutdownTelemetry()` after its own
 * shutdown. If the event loop simply runs dry (a script, a job), a `beforeExit` listener
 * flushes instead. `process.exit()` or an unhandled signal without that call loses up to
 * the last second of spans. Once per process: throws if telemetry was started before.
 */
export function startTelemetry({
  serviceName,
  serviceVersion,
  deploymentEnvironment,
  // Not stackEndpoints(): a bad KAFKA_BROKERS is the service's to report, after telemetry is up.
  otlpEndpoint = configuredOtlpEndpoint(),
  shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS,
}: TelemetryOptions): Telemetry {
  // Before the SDK is built: instrumentations patch modules as soon as they are constructed.
  assertTelemetryNotStarted();
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      ...(serviceVersion ? { [ATTR_SERVICE_VERSION]: serviceVersion } : {}),
      ...(deploymentEnvironment ? { [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: deploymentEnvironment } : {}),
    }),
    textMapPropagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces`, timeoutMillis: 5_000 }),
        maxQueueSize: 4096,
        maxExportBatchSize: 512,
        // Half a second, not the SDK's 5 s: the span batching is part of how soon a
        // journey is in Tempo (npm run bench:journey); a full batch still goes at once.
        scheduledDelayMillis: 500,
      }),
    ],
    instrumentations: serviceInstrumentations(),
    // Left to itself the SDK also starts an OTLP metrics exporter (OTEL_METRICS_EXPORTER
    // defaults to otlp) that the collector has no pipeline for; its final export kept
    // every shutdown with the collector down waiting about 9 s.
    metricReaders: [],
  });

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    process.removeListener('beforeExit', flushAtExit);
    // Through then() so that even a synchronous throw becomes a warning, not a rejection.
    const flushed = Promise.resolve().then(() => sdk.shutdown()).catch((error: unknown) => {
      console.warn(`telemetry: spans not delivered at shutdown (${otlpEndpoint}): ${String(error)}`);
    });
    await settleWithin(flushed, shutdownTimeoutMs, () => {
      console.warn(`telemetry: spans not delivered within ${shutdownTimeoutMs} ms of shutdown (${otlpEndpoint}); giving up on them`);
    });
  };
  const telemetry: Telemetry = { shutdown: () => (stopping ??= stop()) };
  // The batch processor's timer does not hold the process open, so without this a
  // process that ends on its own would exit with its last batch still queued. The
  // export it starts keeps the loop alive until the spans are out.
  const flushAtExit = () => void telemetry.shutdown();

  sdk.start();
  rememberTelemetry(telemetry);
  process.once('beforeExit', flushAtExit);
  return telemetry;
}

// The timer is referenced on purpose: an awaited shutdown must settle even when nothing
// else holds the event loop, and it is cleared as soon as the flush finishes.
function settleWithin(work: Promise<void>, timeoutMs: number, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
