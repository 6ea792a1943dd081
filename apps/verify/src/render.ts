import Table from 'cli-table3';
import pc from 'picocolors';
import { spanKey, waterfallOrder, type Check, type Journey } from '@mqtrace/journey';
import { traceQlTrace, type StoredSpan } from '@mqtrace/trace-query';
import type { BackendReport, VerifyReport } from './verify.js';

const BAR_WIDTH = 30;
const ms = (nanos: bigint) => Number(nanos) / 1e6;
const short = (spanId: string) => spanId.slice(0, 6);
/** A table without borders: aligned columns, like `ps` or `kubectl get`. */
const borderless = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' };

/**
 * One waterfall per trace of the journey: each span's place on the journey's shared time
 * axis, its service, kind, name and duration; for a CONSUMER span the time its record
 * waited in the queue and its partition and offset (an order that survives clock skew);
 * and its links both ways: "→" the span it links to, "←" the spans that link to it.
 */
export function renderWaterfalls(journey: Journey): string {
  const origin = journey.spans.reduce((earliest, span) => (span.startTimeUnixNano < earliest ? span.startTimeUnixNano : earliest), journey.spans[0]?.startTimeUnixNano ?? 0n);
  const end = journey.spans.reduce((latest, span) => (span.endTimeUnixNano > latest ? span.endTimeUnixNano : latest), origin);
  const scale = Math.max(1, Number(end - origin)) / BAR_WIDTH;
  const gaps = new Map(journey.edges.filter((edge) => edge.kind === 'queue-hop').map((edge) => [spanKey(edge.from), edge.gapNanos ?? 0n]));
  const linkedFrom = new Map<string, string[]>();
  for (const edge of journey.edges.filter((one) => one.kind === 'link')) linkedFrom.set(spanKey(edge.to), [...(linkedFrom.get(spanKey(edge.to)) ?? []), short(edge.from.spanId)]);

  const traces = [...journey.traces].sort(([, a], [, b]) => Number(firstStart(a) - firstStart(b)));
  return traces
    .map(([traceId, spans]) => {
      const table = new Table({ chars: borderless, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 }, head: ['at ms', 'time', 'dur ms', 'service', 'kind', 'span', 'queue ms', 'p@offset', 'links'].map((title) => pc.dim(title)) });
      for (const { span, depth } of waterfallOrder(spans)) {
        const startAt = Number(span.startTimeUnixNano - origin) / scale;
        const width = Math.max(1, Math.round(Number(span.endTimeUnixNano - span.startTimeUnixNano) / scale));
        const bar = ' '.repeat(Math.min(BAR_WIDTH - 1, Math.floor(startAt))) + (span.status === 'ERROR' ? pc.red : pc.cyan)('█'.repeat(Math.min(width, BAR_WIDTH)));
        const gap = gaps.get(spanKey(span));
        const partition = span.attributes['messaging.destination.partition.id'];
        const offset = span.attributes['kafka.offset'] ?? span.attributes['messaging.kafka.offset'];
        const links = [...span.links.map((link) => `→${short(link.spanId)}`), ...(linkedFrom.get(spanKey(span)) ?? []).map((from) => `←${from}`)];
        table.push([
          ms(span.startTimeUnixNano - origin).toFixed(1),
          bar.padEnd(BAR_WIDTH),
          ms(span.endTimeUnixNano - span.startTimeUnixNano).toFixed(1),
          span.service,
          span.kind,
          `${'  '.repeat(depth)}${span.status === 'ERROR' ? pc.red(span.name) : span.name} ${pc.dim(short(span.spanId))}`,
          gap === undefined ? '' : ms(gap).toFixed(1),
          partition !== undefined && offset !== undefined ? `${String(partition)}@${String(offset)}` : '',
          links.join(' '),
        ]);
      }
      return `${pc.bold(`trace ${traceId}`)}  ${pc.dim(`${spans.length} span(s); TraceQL: ${traceQlTrace(traceId)}`)}\n${table.toString()}`;
    })
    .join('\n\n');
}

/** The checklist: ✔ or ✘, what is expected, and why it holds or what broke it. */
export function renderChecks(checks: readonly Check[]): string {
  return checks.map((check) => `${check.ok ? pc.green('✔') : pc.red('✘')} ${check.title}\n    ${pc.dim(check.reason)}`).join('\n');
}

/** The whole report, per backend, ending in one verdict line. */
export function renderReport(report: VerifyReport, { waterfall = true }: { waterfall?: boolean } = {}): string {
  const sections = report.backends.map((backend) => `${pc.bold(pc.underline(backend.backend))}\n${renderBackend(backend, waterfall)}`);
  const verdicts: Record<VerifyReport['outcome'], string> = {
    ok: pc.green(`✔ every expected edge holds (${report.backends.map(({ backend }) => backend).join(' and ')})`),
    broken: pc.red('✘ the journey is broken: see the ✘ above'),
    'not-found': pc.red(`✘ not found: no trace of ${report.id} in ${report.backends.filter((backend) => !backend.journey).map(({ backend }) => backend).join(' and ')}`),
    unreachable: pc.red('✘ a trace backend could not be reached (see above)'),
  };
  return `${sections.join('\n\n')}\n\n${verdicts[report.outcome]}\n`;
}

function renderBackend(backend: BackendReport, waterfall: boolean): string {
  if (backend.error) return pc.red(`cannot ask ${backend.backend}: ${backend.error}`);
  if (!backend.journey) return pc.red(`${backend.backend} knows no trace of it (yet)`);
  const counts = `${backend.journey.traces.size} trace(s), ${backend.journey.spans.length} span(s)${backend.journey.orderId ? `, order ${backend.journey.orderId}` : ''}`;
  return [pc.dim(counts), ...(waterfall ? [renderWaterfalls(backend.journey)] : []), renderChecks(backend.checks)].join('\n\n');
}

function firstStart(spans: readonly StoredSpan[]): bigint {
  return spans.reduce((earliest, span) => (span.startTimeUnixNano < earliest ? span.startTimeUnixNano : earliest), spans[0]?.startTimeUnixNano ?? 0n);
}

