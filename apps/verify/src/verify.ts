import { findJourney, genericChecks, traceModelChecks, type Check, type FanoutMode, type Journey } from '@mqtrace/journey';
import { JaegerClient, TempoClient, TraceStoreError, type TraceStore } from '@mqtrace/trace-query';

/** What the CLI was asked. */
export interface VerifyRequest {
  /** An order id (UUID) or a trace id (32 hex digits). */
  readonly id: string;
  readonly tempoUrl?: string;
  readonly jaegerUrl?: string;
  /** Check the system's trace model (default) or only what holds for any system. */
  readonly generic: boolean;
  readonly fanout?: FanoutMode;
  /** How long to wait for late spans before reporting. */
  readonly timeoutMs: number;
  /** Time between polls while waiting. */
  readonly pollMs?: number;
}

/** One backend's answer. */
export interface BackendReport {
  readonly backend: 'tempo' | 'jaeger';
  readonly journey?: Journey;
  readonly checks: readonly Check[];
  /** Why the backend could not answer; absent when it did. */
  readonly error?: string;
}

/** How a verification ended; the CLI's exit code follows from it. */
export type Outcome = 'ok' | 'broken' | 'not-found' | 'unreachable';

/** Exit codes of `npm run verify`. */
export const EXIT_CODES: Readonly<Record<Outcome | 'usage', number>> = { ok: 0, broken: 1, usage: 2, unreachable: 3, 'not-found': 4 };

/** The verdict over every backend. */
export interface VerifyReport {
  readonly id: string;
  readonly outcome: Outcome;
  readonly backends: readonly BackendReport[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRACE_ID = /^[0-9a-f]{32}$/i;

/** A usage error: the CLI prints it with the help hint and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Finds the journey in each backend given (Tempo searches by order id; Jaeger reads the
 * same traces) and checks it, polling until every check holds or `timeoutMs` passed, so
 * late spans (a retry, a reconciliation run) are waited for, within a bound.
 */
export async function verify(request: VerifyRequest): Promise<VerifyReport> {
  const id = request.id.trim().toLowerCase();
  const start = UUID.test(id) ? { orderId: id } : TRACE_ID.test(id) ? { traceId: id } : undefined;
  if (!start) throw new UsageError(`"${request.id}" is neither an order id (a UUID) nor a trace id (32 hex digits)`);
  if (!request.tempoUrl && !request.jaegerUrl) throw new UsageError('both backends are turned off: keep Tempo or Jaeger');
  if (!request.tempoUrl && 'orderId' in start) throw new UsageError('finding an order by its id needs Tempo (TraceQL search); give a trace id to check Jaeger alone');
  const tempo = request.tempoUrl ? new TempoClient(request.tempoUrl) : undefined;
  const readers: Array<{ backend: 'tempo' | 'jaeger'; store: TraceStore }> = [
    ...(tempo ? [{ backend: 'tempo' as const, store: tempo }] : []),
    ...(request.jaegerUrl ? [{ backend: 'jaeger' as const, store: new JaegerClient(request.jaegerUrl) }] : []),
  ];
  const deadline = Date.now() + request.timeoutMs;
  for (;;) {
    const backends = await Promise.all(readers.map(({ backend, store }) => check(backend, start, tempo ?? withoutSearch(store), store, request)));
    const outcome = outcomeOf(backends);
    if (outcome === 'ok' || outcome === 'unreachable' || Date.now() >= deadline) return { id, outcome, backends };
    await new Promise((resolve) => setTimeout(resolve, request.pollMs ?? 1_000));
  }
}

async function check(backend: 'tempo' | 'jaeger', start: { orderId: string } | { traceId: string }, search: TempoClient | ReturnType<typeof withoutSearch>, read: TraceStore, request: VerifyRequest): Promise<BackendReport> {
  try {
    const journey = await findJourney(start, { search, read });
    if (!journey) return { backend, checks: [] };
    const checks = request.generic ? genericChecks(journey) : traceModelChecks(journey, request.fanout ? { fanout: request.fanout } : {});
    return { backend, journey, checks };
  } catch (error) {
    if (error instanceof TraceStoreError) return { backend, checks: [], error: error.message };
    throw error;
  }
}

/** A store that cannot search (Jaeger alone, from a trace id). */
function withoutSearch(store: TraceStore) {
  return Object.assign(Object.create(store) as TraceStore, { searchTraceIds: async () => [] as string[] });
}

function outcomeOf(backends: readonly BackendReport[]): Outcome {
  if (backends.some((report) => report.error)) return 'unreachable';
  if (backends.some((report) => !report.journey)) return 'not-found';
  return backends.every((report) => report.checks.every((one) => one.ok)) ? 'ok' : 'broken';
}
