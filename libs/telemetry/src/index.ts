export { registeredTelemetry, shutdownTelemetry } from './registered-telemetry.js';
export { DISABLED_INSTRUMENTATIONS, serviceInstrumentations } from './service-instrumentations.js';
export { DEFAULT_SHUTDOWN_TIMEOUT_MS, startTelemetry, type Telemetry, type TelemetryOptions } from './start-telemetry.js';
