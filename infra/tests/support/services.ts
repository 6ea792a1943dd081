import { runScript } from './scripts.js';

/** The five services, in the order `services.sh` starts them. */
export const SERVICE_NAMES = ['notification', 'payments', 'inventory', 'fulfillment-worker', 'order-api'] as const;

const DEFAULT_PORTS: Readonly<Record<(typeof SERVICE_NAMES)[number], number>> = { 'order-api': 3000, 'fulfillment-worker': 3001, inventory: 3002, payments: 3003, notification: 3004 };

/** Base URL of a service as `services.sh` starts it (its `<NAME>_PORT` variable, or the default port). */
export function serviceUrl(service: (typeof SERVICE_NAMES)[number]): string {
  const variable = `${service.toUpperCase().replace(/-/g, '_')}_PORT`;
  return `http://127.0.0.1:${process.env[variable] ?? DEFAULT_PORTS[service]}`;
}

/** Base URL of order-api as `services.sh` starts it. */
export const ORDER_API_URL = serviceUrl('order-api');

/** The five services, started by `infra/scripts/services.sh` as users start them. */
export interface RunningServices {
  /** Stops all five (SIGTERM: graceful). */
  stop(): Promise<void>;
  /** Sends one service a signal (default SIGKILL: a crash) and waits until it is gone. */
  kill(service: string, signal?: string): Promise<void>;
  /** Starts whatever is not running (with `env` on top) and waits until it is ready. */
  restart(env?: Readonly<Record<string, string>>): Promise<void>;
}

/**
 * Starts the five services with `env` on top of the environment, after stopping any
 * that run: a journey test must know which switches the processes it talks to have.
 * Resolves when every service reports ready.
 */
export async function startServices(env: Readonly<Record<string, string>> = {}): Promise<RunningServices> {
  await stopServices();
  const started = await runScript('services.sh', ['up'], env);
  if (started.code !== 0) {
    await stopServices();
    throw new Error(`services.sh up failed (exit ${started.code}):\n${started.stderr}`);
  }
  return {
    stop: stopServices,
    kill: async (service, signal = 'KILL') => {
      const killed = await runScript('services.sh', ['kill', service, signal]);
      if (killed.code !== 0) throw new Error(`services.sh kill ${service} ${signal} failed:\n${killed.stderr}`);
    },
    restart: async (more = {}) => {
      const restarted = await runScript('services.sh', ['up'], { ...env, ...more });
      if (restarted.code !== 0) throw new Error(`services.sh up failed (exit ${restarted.code}):\n${restarted.stderr}`);
    },
  };
}

/** Stops whatever services run (a test that starts them its own way first). */
export const stopAllServices = (): Promise<void> => stopServices();

/**
 * Stops the services. One that has not exited 10 s after SIGTERM (the promised bound of
 * a graceful shutdown) is killed, and fails the test.
 */
async function stopServices(): Promise<void> {
  const stopped = await runScript('services.sh', ['down'], { SERVICES_STOP_TIMEOUT_SECONDS: '10' });
  if (stopped.code !== 0) throw new Error(`services.sh down failed (exit ${stopped.code}):\n${stopped.stderr}`);
  if (/killing it/.test(stopped.stderr)) throw new Error(`a service did not shut down gracefully after SIGTERM:\n${stopped.stderr}`);
}
