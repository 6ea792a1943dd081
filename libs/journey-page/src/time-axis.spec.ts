import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldedAxis } from './time-axis.js';

const ms = (value: number) => BigInt(value) * 1_000_000n;

describe('foldedAxis', () => {
  it('one busy stretch fills the plot linearly', () => {
    const axis = foldedAxis([[ms(0), ms(100)]], { left: 100, right: 500 });
    assert.equal(axis.x(ms(0)), 100);
    assert.equal(axis.x(ms(50)), 300);
    assert.equal(axis.x(ms(100)), 500);
  });

  it('folds an idle gap to the break width and shares the rest between the bursts by their length', () => {
    // 100 ms of work, 5 s idle (a retry back-off), 100 ms of work.
    const axis = foldedAxis([[ms(0), ms(100)], [ms(5_100), ms(5_200)]], { left: 0, right: 428, breakWidth: 28 });
    assert.deepEqual(axis.segments.map((segment) => [segment.folded, segment.x0, segment.x1]), [
      [false, 0, 200],
      [true, 200, 228],
      [false, 228, 428],
    ]);
    assert.equal(axis.x(ms(2_600)), 214, 'a time inside the fold lies inside the break');
    assert.equal(axis.x(ms(5_150)), 328);
  });

  it('keeps short gaps and overlapping spans inside one stretch', () => {
    const axis = foldedAxis([[ms(0), ms(50)], [ms(20), ms(40)], [ms(200), ms(300)]], { left: 0, right: 300, minGapNanos: ms(250) });
    assert.equal(axis.segments.length, 1);
    assert.equal(axis.x(ms(150)), 150);
  });

  it('is monotonic: order in time is order on screen, before, inside and after the intervals', () => {
    const axis = foldedAxis([[ms(10), ms(20)], [ms(1_000), ms(1_001)], [ms(9_000), ms(9_500)]], { left: 10, right: 900 });
    const points = [0, 10, 15, 20, 500, 1_000, 1_001, 4_000, 9_000, 9_400, 9_500, 20_000].map((at) => axis.x(ms(at)));
    for (let index = 1; index < points.length; index += 1) assert.ok((points[index] ?? 0) >= (points[index - 1] ?? 0), `x(${index}) after x(${index - 1}): ${points.join(', ')}`);
    assert.equal(points[0], 10);
    assert.equal(points.at(-1), 900);
  });

  it('an empty journey draws nothing and maps everything to the left edge', () => {
    const axis = foldedAxis([], { left: 40, right: 400 });
    assert.deepEqual(axis.segments, []);
    assert.equal(axis.x(ms(5)), 40);
  });
});
