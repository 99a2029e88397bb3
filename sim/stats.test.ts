import test from 'ava';
import fc from 'fast-check';
import { fixed, jainIndex, percentile, shareRatio, shareRatios, summarize } from './stats.js';

test('percentile: nearest rank on 1..10 (p10 = 1, p50 = 5, p90 = 9, p99 = 10)', (t) => {
  const xs = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  t.deepEqual([0, 10, 50, 90, 99, 100].map((p) => percentile(xs, p)), [1, 1, 5, 9, 10, 10]);
  t.true(Number.isNaN(percentile([], 50)));
  t.throws(() => percentile(xs, 101), { instanceOf: RangeError });
  t.deepEqual(xs, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 'input not mutated');
});

test('percentile: always an observed value, monotone in p (property)', (t) => {
  fc.assert(fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (xs, p, q) => {
    const [lo, hi] = p <= q ? [p, q] : [q, p];
    const a = percentile(xs, lo), b = percentile(xs, hi);
    return xs.some((x) => Object.is(x, a) || x === a) && a <= b;
  }), { numRuns: 300 });
  t.pass();
});

test('summarize: the usual figures', (t) => {
  const s = summarize([3, 1, 2, 4]);
  t.deepEqual(s, { n: 4, min: 1, max: 4, mean: 2.5, p10: 1, p50: 2, p90: 4, p99: 4 });
  t.is(summarize([]).n, 0);
});

test('jainIndex: 1 when equal, 1/n when one takes all, between otherwise', (t) => {
  t.is(jainIndex([5, 5, 5, 5]), 1);
  t.is(jainIndex([1, 0, 0, 0]), 0.25);
  t.is(jainIndex([0, 0]), 1);
  const j = jainIndex([1, 2, 3]);
  t.true(j > 1 / 3 && j < 1);
  t.is(j, 36 / 42);
  t.throws(() => jainIndex([-1]), { instanceOf: RangeError });
});

test('shareRatio: up/down with the seed and idle cases defined', (t) => {
  t.is(shareRatio(10, 5), 2);
  t.is(shareRatio(10, 0), Infinity);
  t.true(Number.isNaN(shareRatio(0, 0)));
  t.deepEqual(shareRatios([{ up: 1, down: 4 }, { up: 3, down: 3 }]), [0.25, 1]);
  t.is(fixed(2 / 3), '0.667');
  t.is(fixed(-0.0001, 2), '0.00');
});
