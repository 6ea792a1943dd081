/**
 * Entry point for `node --import @mqtrace/telemetry/register main.js`: installs the ESM
 * loader hook that lets instrumentations patch modules loaded with `import` (NestJS 12
 * is ESM-only), then starts the SDK before the application's first import.
 * The service name comes from `OTEL_SERVICE_NAME`, its version from `SERVICE_VERSION` and
 * where it runs from `DEPLOYMENT_ENVIRONMENT` (the service kit's variables).
 *
 * It deliberately does not listen for SIGTERM: a flush at the signal would start while
 * the application is still finishing its message, and the batch processor drops every
 * span that ends after its shutdown has begun. The application flushes last, with
 * `shutdownTelemetry()` from `@mqtrace/telemetry`, after its own shutdown.
 */
import { register } from 'node:module';
import { startTelemetry } from './start-telemetry.js';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const serviceName = process.env['OTEL_SERVICE_NAME'];
if (!serviceName) {
  throw new Error('OTEL_SERVICE_NAME must name the service, e.g. OTEL_SERVICE_NAME=order-api');
}
const optional = (name: string) => process.env[name]?.trim() || undefined;
startTelemetry({ serviceName, serviceVersion: optional('SERVICE_VERSION') ?? '0.1.0', deploymentEnvironment: optional('DEPLOYMENT_ENVIRONMENT') ?? 'development' });
