export { DISABLED_INSTRUMENTATIONS, serviceInstrumentations } from './service-instrumentations.js';
export { startTelemetry, type Telemetry, type TelemetryOptions } from './start-telemetry.js';
