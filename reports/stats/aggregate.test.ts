import test from 'ava';
import fc from 'fast-check';
import { bootstrapMedianCI, ecdf, spread, thin } from './aggregate.js';

test('spread: median and quartiles by nearest rank, mean, min/max', (t) => {
  const s = spread([5, 1, 4, 2, 3]);
  t.is(s.n, 5);
  t.is(s.median, 3);
  t.is(s.q1, 2); // rank ceil(0.25·5) = 2
  t.is(s.q3, 4); // rank ceil(0.75·5) = 4
  t.is(s.min, 1);
  t.is(s.max, 5);
  t.is(s.mean, 3);
});

test('spread drops NaN/Infinity (runs without a value) and is all-NaN when nothing is left', (t) => {
  t.is(spread([NaN, 2, Infinity, 4]).n, 2);
  const e = spread([NaN]);
  t.is(e.n, 0);
  t.true(Number.isNaN(e.median) && Number.isNaN(e.ciLow));
});

test('bootstrap CI is reproducible (fixed seed) and a single run gives a zero-width interval', (t) => {
  const xs = Float64Array.from([10, 11, 12, 15, 20, 30, 31, 40]);
  t.deepEqual(bootstrapMedianCI(xs), bootstrapMedianCI(xs));
  t.deepEqual(bootstrapMedianCI(Float64Array.from([7])), [7, 7]);
  const [lo, hi] = bootstrapMedianCI(xs);
  t.true(lo < hi, 'eight distinct values give a non-degenerate interval');
});

test('bootstrap CI of a tight sample is narrower than of a spread-out one', (t) => {
  const tight = spread([100, 101, 99, 100, 102, 98, 100, 101, 99, 100]);
  const wide = spread([10, 300, 50, 200, 100, 20, 250, 80, 150, 400]);
  t.true(tight.ciHigh - tight.ciLow < wide.ciHigh - wide.ciLow);
});

test('property: CI is ordered, inside [min, max], made of observed values', (t) => {
  fc.assert(fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (xs) => {
    const s = spread(xs, 200);
    return s.ciLow <= s.ciHigh && s.ciLow >= s.min && s.ciHigh <= s.max && s.q1 <= s.median && s.median <= s.q3 && xs.includes(s.ciLow) && xs.includes(s.ciHigh);
  }), { numRuns: 300 });
  t.pass();
});

test('ecdf: steps at distinct values, fraction of total (unfinished peers keep it below 1)', (t) => {
  t.deepEqual(ecdf([3, 1, 1, 2]), [{ x: 1, y: 0.5 }, { x: 2, y: 0.75 }, { x: 3, y: 1 }]);
  t.deepEqual(ecdf([1, 2], 4), [{ x: 1, y: 0.25 }, { x: 2, y: 0.5 }]);
  t.deepEqual(ecdf([]), []);
});

test('thin keeps first and last and at most max points', (t) => {
  const xs = Array.from({ length: 1000 }, (_, i) => i);
  const th = thin(xs, 10);
  t.is(th.length, 10);
  t.is(th[0], 0);
  t.is(th[9], 999);
  t.deepEqual(thin([1, 2, 3], 10), [1, 2, 3]);
});
