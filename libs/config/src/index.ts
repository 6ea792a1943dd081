export { ConfigError, NATIVE_STACK_DEFAULTS, otlpEndpoint, stackEndpoints, type StackEndpoints } from './stack-endpoints.js';
export { assertStackReachable, type StackPart } from './stack-reachability.js';
