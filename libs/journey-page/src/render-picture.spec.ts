import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutJourney } from './lanes.js';
import { renderPicture } from './render-picture.js';
import { approvedJourney } from './testing-fixtures/journeys.js';

/** Each arrow of the picture: its lanes and the x of its vertical stretch (the path's start). */
function arrowColumns(svg: string): Array<{ tailLane: number; headLane: number; column: number; end: number }> {
  return [...svg.matchAll(/<path class="arrow[^"]*" d="M([\d.-]+),[\d.-]+ [^"]* H([\d.-]+)"[^>]*data-tail-lane="(\d+)" data-head-lane="(\d+)"/g)].map((match) => ({
    column: Number(match[1]),
    end: Number(match[2]),
    tailLane: Number(match[3]),
    headLane: Number(match[4]),
  }));
}

describe('renderPicture', () => {
  it('the fan-out: three arrows leave one span, each in its own column, the nearest lane turning in closest to its head', () => {
    const { journey, checks } = approvedJourney();
    const svg = renderPicture(layoutJourney(journey, checks), 'approved').toString();
    const fanOut = arrowColumns(svg)
      .filter((arrow) => arrow.tailLane === 0)
      .sort((a, b) => a.headLane - b.headLane);
    assert.deepEqual(
      fanOut.map((arrow) => arrow.headLane),
      [1, 2, 3],
    );
    const [first, second, third] = fanOut.map((arrow) => arrow.column);
    assert.ok(first !== undefined && second !== undefined && third !== undefined);
    assert.ok(first > second && second > third, `columns ${fanOut.map((arrow) => arrow.column).join(', ')}: a shared column draws three links as one line`);
    for (const arrow of fanOut) assert.ok(arrow.end > arrow.column, 'each arrow turns in towards the span that holds the link');
  });

  it('a branch lane title fits left of the time axis; the trace id sits at the lane end', () => {
    const { journey, checks } = approvedJourney();
    const svg = renderPicture(layoutJourney(journey, checks), 'approved').toString();
    const titles = [...svg.matchAll(/<text class="lane-title"[^>]*>([^<]*)<tspan class="lane-trace"[^>]*text-anchor="end">([^<]*)<\/tspan>/g)];
    assert.equal(titles.length, 5);
    for (const [, title, trace] of titles) {
      assert.ok((title ?? '').length <= 34, `"${title}" runs into the time axis`);
      assert.match(trace ?? '', /^trace [0-9a-f]{8}$/);
    }
  });
});
