import { shutdownTelemetry } from '@mqtrace/telemetry';

/** Longest a graceful shutdown may take before the process exits anyway. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** What a graceful shutdown needs: something that closes (a Nest application). */
export interface Closable {
  close(): Promise<void>;
}

/** Options of {@link exitGracefullyOnSignals}. */
export interface GracefulExitOptions {
  /** Hard deadline for the whole shutdown; default 10 s. */
  readonly timeoutMs?: number;
  readonly signals?: readonly NodeJS.Signals[];
  /** Where the steps are reported; default standard error. */
  readonly log?: (message: string) => void;
}

/**
 * On SIGTERM (or SIGINT) shuts a service down in the only order that loses nothing:
 *
 * 1. `app.close()`: the Kafka transport stops fetching, finishes the record in hand
 *    (the batch loop starts no other once the consumer stops running), commits the
 *    resolved offsets and leaves the group; the HTTP server stops accepting;
 * 2. `shutdownTelemetry()`: the spans of that last record are flushed;
 * 3. exit 0.
 *
 * If any step hangs past `timeoutMs`, the process exits 1: what was not committed is
 * delivered again to another member, which is Kafka's at-least-once. Use this instead of
 * Nest's `enableShutdownHooks()`, which re-raises the signal as soon as `close()`
 * returns, before any flush could run (`close()` still runs Nest's shutdown hooks).
 */
export function exitGracefullyOnSignals(app: Closable, { timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS, signals = ['SIGTERM', 'SIGINT'], log = (message) => console.error(message) }: GracefulExitOptions = {}): void {
  let shuttingDown = false;
  const shutDown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    const deadline = setTimeout(() => {
      log(`shutdown: still not done after ${timeoutMs} ms, exiting anyway`);
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    log(`shutdown: ${signal}, closing (stop fetching, finish the record in hand, commit)`);
    try {
      await app.close();
    } catch (error) {
      log(`shutdown: closing failed: ${String(error)}`);
    }
    log('shutdown: closed, flushing spans');
    await shutdownTelemetry();
    log('shutdown: done');
    process.exit(0);
  };
  for (const signal of signals) process.once(signal, (received) => void shutDown(received));
}
