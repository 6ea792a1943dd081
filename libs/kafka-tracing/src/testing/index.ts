// Test support for code that uses the library: in-memory tracing and a capturing sender.
export { asConsumed, CapturingSender, type CapturedSend } from './fake-kafka.js';
export { installInMemoryTracing, type InMemoryTracing } from './in-memory-tracing.js';
