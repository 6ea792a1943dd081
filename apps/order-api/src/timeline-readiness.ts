import type { ReadinessCheck } from '@mqtrace/service-kit';
import type { OrderTimelines } from './order-timelines.js';

/**
 * Ready once the projection has read `orders.status` up to where it ended when this
 * process first asked, so an order placed before a restart is found after it.
 */
export function timelineReadiness(timelines: OrderTimelines, endOffsets: () => Promise<ReadonlyMap<number, bigint>>): ReadinessCheck {
  let target: ReadonlyMap<number, bigint> | undefined;
  // One question at a time: while the broker does not answer, probes do not pile up.
  let asking: Promise<ReadonlyMap<number, bigint>> | undefined;
  return async () => {
    target ??= await (asking ??= endOffsets().finally(() => (asking = undefined)));
    const rebuilt = timelines.hasRead(target);
    return rebuilt ? { ready: true } : { ready: false, reason: 'still reading orders.status to rebuild the timelines' };
  };
}
