export { ConfigError, NATIVE_STACK_DEFAULTS, stackEndpoints, type StackEndpoints } from './stack-endpoints.js';
