import { createRequire } from 'node:module';

/** The part of kafkajs' internal `RequestQueue` (one per broker connection) this fix touches. */
export interface RequestQueueInternals {
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  scheduleCheckPendingRequests(): void;
  checkPendingRequests(): void;
  destroy(): void;
}

/** kafkajs' `RequestQueue` class, loaded from the same file kafkajs itself requires. */
export type RequestQueueClass = new (options: { requestTimeout: number; clientId: string; broker: string; logger: unknown }) => RequestQueueInternals;

const QUIETED = Symbol.for('@mqtrace/kafka-tracing/idle-request-queue');

/** kafkajs' `RequestQueue` class (kafkajs is CommonJS: this is the very class its connections use). */
export function kafkaJsRequestQueue(): RequestQueueClass {
  const requestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as unknown;
  if (typeof requestQueue !== 'function' || typeof (requestQueue.prototype as Partial<RequestQueueInternals>).scheduleCheckPendingRequests !== 'function') {
    throw new Error('kafkajs/src/network/requestQueue has no RequestQueue with scheduleCheckPendingRequests: the kafkajs version changed; see idle-request-queue.ts');
  }
  return requestQueue as RequestQueueClass;
}

/**
 * Stops kafkajs 2.2.4 (its last release) from polling every idle connection. After each
 * response a connection's request queue checks for waiting requests and then re-arms
 * that check whether or not anything waits; with no throttling the delay is
 * `-1 - Date.now()`, which Node runs after 1 ms (and, from Node 24, warns about once per
 * process: `TimeoutNegativeWarning`). So every connection wakes its process about a
 * thousand times a second, for as long as it is open (kafkajs issues #1704 and #1751,
 * with fixes proposed and never released). With this fix a check is armed only while a
 * request waits; `push()` arms one when a request has to wait (throttled, or too many in
 * flight), and each response runs the check again. Idempotent; applied when
 * `@mqtrace/kafka-tracing/kafkajs` is loaded, before any connection exists.
 */
export function quietIdleRequestQueues(requestQueue: RequestQueueClass = kafkaJsRequestQueue()): void {
  const prototype = requestQueue.prototype as RequestQueueInternals & { [QUIETED]?: true };
  if (prototype[QUIETED]) return;
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function scheduleWhileRequestsWait(this: RequestQueueInternals) {
    if (this.pending.length > 0) schedule.call(this);
  };
  prototype[QUIETED] = true;
}
