import test from 'ava';
import fc from 'fast-check';
import { RangeSet } from './range-set.js';

test('RangeSet agrees with a byte-array model under random adds', (t) => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(64), fc.nat(24)), { maxLength: 40 }), fc.nat(64), fc.nat(64), (adds, q1, q2) => {
    const rs = new RangeSet();
    const model = new Array<boolean>(100).fill(false);
    for (const [s, n] of adds) {
      rs.add(s, s + n);
      for (let k = s; k < s + n; k++) model[k] = true;
    }
    const count = model.filter(Boolean).length;
    if (rs.covered !== count) return false;
    const iv = rs.intervals();
    for (let k = 1; k < iv.length; k++) if (iv[k][0] <= iv[k - 1][1]) return false; // disjoint, merged
    const [a, b] = q1 <= q2 ? [q1, q2] : [q2, q1];
    return rs.covers(a, b) === model.slice(a, b).every(Boolean);
  }), { numRuns: 1000 });
  t.pass();
});

test('RangeSet: duplicate and adjacent blocks merge into one interval', (t) => {
  const rs = new RangeSet();
  rs.add(16, 32); rs.add(0, 16); rs.add(0, 16); rs.add(32, 40);
  t.deepEqual(rs.intervals(), [[0, 40]]);
  t.is(rs.covered, 40);
  t.true(rs.covers(0, 40));
  t.false(rs.covers(0, 41));
});
