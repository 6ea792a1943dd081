// @mqtrace/service-kit: what the five services share, so each app stays a thin
// composition. Configuration, logging; health and the shutdown order come next.

// Configuration from the environment, validated at start.
export { BASE_SERVICE_ENV, loadServiceConfig, ServiceConfigError } from './service-config.js';

// JSON logs with trace ids.
export { REDACTED_LOG_PATHS, serviceLoggerModule, traceLogFields, type ServiceLoggerOptions } from './logging.js';
