// The shared time axis, with idle stretches folded. A journey is bursts of work (the
// request, the fan-out, each retry, the reconciliation run) separated by seconds where
// nothing runs; drawn linearly, the bursts shrink to slivers. Here each idle gap longer
// than a threshold takes a fixed narrow width, marked as a break, and the bursts share
// the rest of the width in proportion to their length.

/** One stretch of the axis: real time [startNanos, endNanos] drawn on [x0, x1]. */
export interface AxisSegment {
  readonly startNanos: bigint;
  readonly endNanos: bigint;
  readonly x0: number;
  readonly x1: number;
  /** A folded idle gap (drawn as a break) rather than a stretch with spans. */
  readonly folded: boolean;
}

/** Options of {@link foldedAxis}. */
export interface FoldedAxisOptions {
  /** Where the plot starts and ends, in SVG units. */
  readonly left: number;
  readonly right: number;
  /** Width of a folded gap; default 28. */
  readonly breakWidth?: number;
  /** Shortest idle gap that is folded; default 250 ms. */
  readonly minGapNanos?: bigint;
}

/** An axis: where a time is drawn, and its segments for ticks and breaks. */
export interface TimeAxis {
  readonly segments: readonly AxisSegment[];
  x(nanos: bigint): number;
}

/**
 * An axis over the given intervals (the spans' [start, end]): busy stretches linear,
 * idle gaps of at least `minGapNanos` folded. Monotonic, so order in time is order on
 * screen, and a time inside a folded gap is placed proportionally within the break.
 */
export function foldedAxis(intervals: ReadonlyArray<readonly [bigint, bigint]>, { left, right, breakWidth = 28, minGapNanos = 250_000_000n }: FoldedAxisOptions): TimeAxis {
  const sorted = [...intervals].map(([start, end]) => [start, end < start ? start : end] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // The busy stretches: the union of the intervals, with short gaps kept inside.
  const busy: Array<[bigint, bigint]> = [];
  for (const [start, end] of sorted) {
    const last = busy.at(-1);
    if (last && start - last[1] < minGapNanos) last[1] = end > last[1] ? end : last[1];
    else busy.push([start, end]);
  }
  if (busy.length === 0) return { segments: [], x: () => left };

  const folds = busy.length - 1;
  const width = Math.max(right - left - folds * breakWidth, 1);
  const busyTotal = busy.reduce((sum, [start, end]) => sum + Number(end - start), 0) || 1;
  const segments: AxisSegment[] = [];
  let at = left;
  busy.forEach(([start, end], index) => {
    const span = busy.length === 1 ? width : (Number(end - start) / busyTotal) * width;
    segments.push({ startNanos: start, endNanos: end, x0: at, x1: at + span, folded: false });
    at += span;
    const next = busy[index + 1];
    if (next) {
      segments.push({ startNanos: end, endNanos: next[0], x0: at, x1: at + breakWidth, folded: true });
      at += breakWidth;
    }
  });

  const x = (nanos: bigint): number => {
    const first = segments[0];
    const last = segments.at(-1);
    if (!first || !last) return left;
    if (nanos <= first.startNanos) return first.x0;
    if (nanos >= last.endNanos) return last.x1;
    const segment = segments.find((candidate) => nanos >= candidate.startNanos && nanos <= candidate.endNanos) ?? last;
    const length = Number(segment.endNanos - segment.startNanos);
    return length === 0 ? segment.x0 : segment.x0 + (Number(nanos - segment.startNanos) / length) * (segment.x1 - segment.x0);
  };
  return { segments, x };
}
