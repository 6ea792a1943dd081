// TraceQL that finds traces by id. Tempo (2.8 here) keeps trace ids without their leading
// zeros: a search answers "b03e…" for trace 00b03e…, `{ trace:id = "00b03e…" }` finds
// nothing, and `{ link:traceID = … }` finds a link to such a trace in neither spelling.
// One trace id in 16 starts with a zero, so queries built from the 32-digit id fail now
// and then; these spell the id the way Tempo matches it.

/** A trace id as Tempo writes it: lower-case hex without leading zeros. */
export const tempoTraceId = (traceId: string): string => traceId.toLowerCase().replace(/^0+(?=.)/, '');

/** The TraceQL query that finds one trace by its id. */
export const traceQlTrace = (traceId: string): string => `{ trace:id = "${tempoTraceId(traceId)}" }`;

/** The TraceQL query that finds the traces with a span linking into `traceId`, with or without leading zeros. */
export const traceQlLinkingTo = (traceId: string): string => `{ link:traceID =~ "0*${tempoTraceId(traceId)}" }`;
