import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { stackEndpoints } from '@mqtrace/config';
import { serviceInstrumentations } from './service-instrumentations.js';

/** Options of {@link startTelemetry}. */
export interface TelemetryOptions {
  readonly serviceName: string;
  /** OTLP/HTTP base URL; default `OTEL_EXPORTER_OTLP_ENDPOINT` or the native stack. */
  readonly otlpEndpoint?: string;
}

/** A started SDK. */
export interface Telemetry {
  /**
   * Flushes pending spans and stops the SDK (call it on SIGTERM). Never rejects: spans
   * that cannot be delivered are reported on stderr and dropped, so a collector outage
   * cannot turn a clean exit into a crash.
   */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for a service: W3C trace context and baggage, the service
 * instrumentations, and OTLP export through a bounded batch queue. When the collector
 * is down, spans beyond the queue are dropped: memory stays bounded and requests never
 * wait on telemetry.
 */
export function startTelemetry({ serviceName, otlpEndpoint = stackEndpoints().otlpEndpoint }: TelemetryOptions): Telemetry {
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    textMapPropagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces`, timeoutMillis: 5_000 }),
        maxQueueSize: 4096,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 1_000,
      }),
    ],
    instrumentations: serviceInstrumentations(),
  });
  sdk.start();
  return {
    shutdown: () =>
      sdk.shutdown().catch((error: unknown) => {
        console.warn(`telemetry: spans not delivered at shutdown (${otlpEndpoint}): ${String(error)}`);
      }),
  };
}
