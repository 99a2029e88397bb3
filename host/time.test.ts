import test from 'ava';
import { realRandom } from './time.js';

test('realRandom: u32 covers the 32-bit range across pool refills, int(n) stays in [0, n), bytes are fresh copies', (t) => {
  const r = realRandom();
  let max = 0, min = 2 ** 32, odd = 0;
  const N = 5000; // 20 000 bytes: several 4096-byte pool refills
  for (let i = 0; i < N; i++) {
    const v = r.u32();
    t.true(Number.isInteger(v) && v >= 0 && v < 2 ** 32);
    if (v > max) max = v;
    if (v < min) min = v;
    odd += v & 1;
  }
  t.true(max > 2 ** 32 * 0.99 && min < 2 ** 32 * 0.01, `range seen ${min}..${max}`);
  t.true(Math.abs(odd / N - 0.5) < 0.05, `low bit balanced: ${odd}/${N}`);
  const counts = new Array(7).fill(0);
  for (let i = 0; i < 7000; i++) counts[r.int(7)]++;
  t.true(counts.every((c) => c > 800 && c < 1200), `int(7) counts ${counts}`);
  const a = r.bytes(16), b = r.bytes(16);
  t.notDeepEqual(a, b);
  a.fill(0);
  t.false(r.bytes(16).every((x) => x === 0), 'a returned buffer is the caller\'s own');
});
