import { findServiceProcesses, findStackProcesses, followTimelines, isComplete, loadReport, mixSequence, placeOrders, watchProcesses, type LoadReport, type OrderMix, type ProcessUsage } from '@mqtrace/load';

/** The five services whose processes are watched. */
export const SERVICES = ['order-api', 'fulfillment-worker', 'inventory', 'payments', 'notification'] as const;

/** What one round at one rate showed. */
export interface RoundResult {
  /** Orders per second asked for, and reached (orders over the time it took to send them). */
  readonly rate: number;
  readonly achievedRate: number;
  readonly report: LoadReport;
  /** Per service, stack component and this load generator, while the orders were being sent. */
  readonly usage: readonly ProcessUsage[];
}

/** Name of this process in {@link RoundResult.usage}: the load costs CPU on the same machine too. */
export const LOAD_GENERATOR = 'load-generator';

/**
 * Whether the system kept up with a round: the rate was reached, every order accepted
 * and none lost, and both the `202` p99 and the `202` → `notification-sent` p99 stayed
 * under `maxP99Ms`. (A slow `202` alone can make the second look fine, even negative:
 * the order was processed while its answer was still on the way.)
 */
export function isSustained({ rate, achievedRate, report }: Pick<RoundResult, 'rate' | 'achievedRate' | 'report'>, maxP99Ms: number): boolean {
  return (
    achievedRate >= 0.95 * rate &&
    report.accepted === report.sent &&
    report.lost === 0 &&
    report.incomplete === 0 &&
    (report.acceptMs.p99 ?? Infinity) <= maxP99Ms &&
    (report.notifiedMs.p99 ?? Infinity) <= maxP99Ms
  );
}

/** Options of {@link runRound}. */
export interface RoundOptions {
  readonly orderApiUrl: string;
  readonly rate: number;
  readonly durationSeconds: number;
  readonly mix: OrderMix;
  /** Longest wait after the last order for the rest to reach their final state. */
  readonly settleSeconds: number;
  /** Progress, once a second while sending. */
  readonly onProgress?: (answered: number, total: number) => void;
}

/**
 * Sends `rate × duration` orders of the mix at the rate, watching the services' CPU and
 * memory meanwhile, then reads every timeline until each order reached its final state
 * (latencies come from the steps' own times, so reading late does not inflate them).
 */
export async function runRound({ orderApiUrl, rate, durationSeconds, mix, settleSeconds, onProgress }: RoundOptions): Promise<RoundResult> {
  const kinds = mixSequence(Math.max(1, Math.round(rate * durationSeconds)), mix);
  const watch = watchProcesses(new Map([...(await findServiceProcesses(SERVICES)), ...(await findStackProcesses()), [LOAD_GENERATOR, process.pid]]));
  let answered = 0;
  const progress = setInterval(() => onProgress?.(answered, kinds.length), 1000);
  const orders = await placeOrders({ orderApiUrl, kinds, ratePerSecond: rate, onAnswer: () => (answered += 1) }).finally(() => clearInterval(progress));
  const usage = await watch.stop();
  const timelines = await followTimelines(orders, { orderApiUrl, done: (order, timeline) => isComplete(order.kind, timeline), timeoutMs: settleSeconds * 1000 });
  const sentOver = (Math.max(...orders.map((order) => order.sentAt)) - Math.min(...orders.map((order) => order.sentAt))) / 1000;
  return { rate, achievedRate: sentOver > 0 ? Math.round(((orders.length - 1) / sentOver) * 10) / 10 : rate, report: loadReport(orders, timelines), usage };
}
