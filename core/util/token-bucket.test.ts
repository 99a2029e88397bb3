import test from 'ava';
import fc from 'fast-check';
import { TokenBucket } from './token-bucket.js';

test('token bucket: starts full, refills at the rate, never above the burst', (t) => {
  const b = new TokenBucket(10, 3, 0);
  t.true(b.take(0) && b.take(0) && b.take(0));
  t.false(b.take(0));
  t.false(b.ready(99));
  t.true(b.ready(100)); // 10 a second: one every 100 ms
  t.true(b.take(100));
  t.false(b.take(100));
  t.true(b.isFull(10_000));
  t.true(b.take(10_000) && b.take(10_000) && b.take(10_000));
  t.false(b.take(10_000), 'saved up no more than the burst');
});

test('token bucket: over any prefix of time, tokens taken ≤ burst + rate × elapsed (property)', (t) => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }),
    fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 300 }),
    (rate, burst, gaps) => {
      const b = new TokenBucket(rate, burst, 0);
      let now = 0;
      let taken = 0;
      for (const g of gaps) {
        now += g;
        if (b.take(now)) taken++;
        if (taken > burst + (rate * now) / 1000 + 1e-9) return false;
      }
      return true;
    },
  ));
  t.pass();
});
