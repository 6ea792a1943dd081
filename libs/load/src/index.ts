export { DEFAULT_MIX, FINAL_STEPS, isCharged, mixSequence, ORDER_KINDS, orderKindOf, orderRequest, parseMix, type OrderKind, type OrderMix } from './order-mix.js';
export { placeOrders, type PlacedOrder, type PlaceOrdersOptions } from './place-orders.js';
export { followTimelines, type FollowTimelinesOptions, type TimelineStep } from './timelines.js';
export { isComplete, loadReport, percentile, type LoadReport, type Percentiles } from './report.js';
export { findServiceProcesses, findStackProcesses, watchProcesses, type ProcessUsage } from './process-stats.js';
