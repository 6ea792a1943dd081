import type { Telemetry } from './start-telemetry.js';

// On globalThis rather than in a module variable: `--import @mqtrace/telemetry/register`
// and the application may load this package through different paths (dist and source,
// or two installed copies), and each path gets its own module instances. The
// OpenTelemetry API keeps its globals the same way.
const SLOT = Symbol.for('@mqtrace/telemetry/started');
type Slot = { [SLOT]?: Telemetry };

/**
 * The telemetry this process started, whether `--import @mqtrace/telemetry/register`
 * started it or the application called `startTelemetry`; `undefined` if neither did.
 * It stays after its shutdown, whose promise it then returns again.
 */
export function registeredTelemetry(): Telemetry | undefined {
  return (globalThis as Slot)[SLOT];
}

/**
 * Flushes the pending spans and stops the SDK; the last step of a graceful shutdown,
 * after the application has stopped taking work, finished the message in hand and
 * committed (`await app.close()` in NestJS): spans that end after the flush has begun
 * are dropped. Works whether `register` or `startTelemetry` started the SDK, and
 * resolves at once when neither did. Every call returns the same flush. Never rejects
 * and settles within the shutdown timeout (`TelemetryOptions.shutdownTimeoutMs`), so a
 * collector outage cannot turn a clean exit into a crash or a hang.
 */
export function shutdownTelemetry(): Promise<void> {
  return registeredTelemetry()?.shutdown() ?? Promise.resolve();
}

/**
 * Fails when this process has started telemetry before, even if it has shut down since:
 * the OpenTelemetry API keeps the first SDK's global tracer provider, so a second SDK
 * would record nothing while patching every module a second time.
 */
export function assertTelemetryNotStarted(): void {
  if (registeredTelemetry()) {
    throw new Error(
      'telemetry was already started in this process (by --import @mqtrace/telemetry/register?); ' +
        'reach it with registeredTelemetry() or shutdownTelemetry() instead of starting it again',
    );
  }
}

/** Makes `telemetry` the one {@link registeredTelemetry} returns. */
export function rememberTelemetry(telemetry: Telemetry): void {
  (globalThis as Slot)[SLOT] = telemetry;
}
