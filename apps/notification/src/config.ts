import type { z } from 'zod';
import { BASE_SERVICE_ENV, httpPort, loadServiceConfigOrExit } from '@mqtrace/service-kit';

/** The service's name: `service.name` of its spans, its consumer group, its log lines. */
export const SERVICE_NAME = 'notification';

/** notification's settings (docs/configuration.md). */
export const NotificationEnv = BASE_SERVICE_ENV.extend({ PORT: httpPort(3004) });
/** notification's validated settings. */
export type NotificationConfig = z.infer<typeof NotificationEnv>;

/** Reads and validates the settings; a bad one ends the process naming every bad variable. */
export const loadConfig = (): NotificationConfig => loadServiceConfigOrExit(SERVICE_NAME, NotificationEnv);
