// @mqtrace/journey-page: one order's journey in a browser. Lanes per trace on one time
// axis, span links as arrows between them, the verify checklist beside it, kept live.
// Served by `npm run demo` and `npm run journeys`; reads Tempo and order-api, never writes.
export { layoutJourney, type Arrow, type JourneyLayout, type Lane, type LaneKind, type LaneRow } from './lanes.js';
export { journeyPageApp, journeyPageStartProblem, serveJourneyPage, type JourneyPageOptions, type RunningJourneyPage } from './server.js';
export { journeyPageSettings, type JourneyPageSettings } from './settings.js';
export { grafanaTraceUrl, jaegerTraceUrl, traceQlForOrder, type TraceViewers } from './trace-links.js';
