// @mqtrace/service-kit: what the five services share, so each app stays a thin
// composition. Configuration, logging and the shutdown order; health comes next.

// Configuration from the environment, validated at start.
export { BASE_SERVICE_ENV, loadServiceConfig, ServiceConfigError } from './service-config.js';

// JSON logs with trace ids.
export { REDACTED_LOG_PATHS, serviceLoggerModule, traceLogFields, type ServiceLoggerOptions } from './logging.js';

// Graceful shutdown: stop fetching, finish the record in hand, commit, flush spans, exit.
export { DEFAULT_SHUTDOWN_TIMEOUT_MS, exitGracefullyOnSignals, type Closable, type GracefulExitOptions } from './shutdown.js';
