import test from 'ava';
import { RateMeter } from './rate.js';

test('rate: a steady 100 kB/s stream reads as about 100 kB/s', (t) => {
  const m = new RateMeter(0, 5000, 500);
  for (let ms = 0; ms <= 10_000; ms += 100) m.add(10_000, ms);
  const r = m.rate(10_000);
  t.true(Math.abs(r - 100_000) / 100_000 < 0.1, `rate ${r}`);
  t.is(m.total, 101 * 10_000);
});

test('rate: decays to zero after the window passes with no data', (t) => {
  const m = new RateMeter(0);
  m.add(50_000, 100);
  t.true(m.rate(1000) > 0);
  t.is(m.rate(60_000), 0);
});
