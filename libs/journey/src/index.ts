// @mqtrace/journey: an order's journey across traces, the edges between its spans, and
// the checks of the trace model. Used by the verify CLI and the journey page; reads
// traces through @mqtrace/trace-query, never writes any.
export { describeSpan, edgesOf, journeyOf, spanKey, waterfallOrder, type Check, type Edge, type EdgeKind, type Journey, type SpanRef } from './journey.js';
export { genericChecks } from './generic-checks.js';
export { traceModelChecks, type FanoutMode, type TraceModelOptions } from './trace-model.js';
export { findJourney, type FindJourneyOptions, type JourneySources, type JourneyStart } from './find-journey.js';
