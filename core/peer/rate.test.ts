import test from 'ava';
import fc from 'fast-check';
import type { Millis } from '../seam/time.js';
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

/** The meter as it was before its slots became lazy (always allocated): the reference the lazy one must match exactly. */
class EagerRateMeter {
  /** A plain double array, not a Float64Array: two meters per connection, and a typed array costs an ArrayBuffer (≈ 200 bytes more) each. */
  private readonly slots: number[];
  private slotStart: Millis;
  private idx = 0;
  private sum = 0;
  total = 0;

  constructor(now: Millis, private readonly windowMs: Millis = 5000, private readonly slotMs: Millis = 500) {
    this.slots = new Array<number>(Math.max(1, Math.round(windowMs / slotMs))).fill(0.5).fill(0); // 0.5 first: double elements from the start
    this.slotStart = now;
  }

  add(bytes: number, now: Millis): void {
    this.advance(now);
    this.slots[this.idx] += bytes;
    this.sum += bytes;
    this.total += bytes;
  }

  /** Bytes per second over the window (the partial current slot counts as its elapsed share). */
  rate(now: Millis): number {
    this.advance(now);
    const n = this.slots.length;
    const elapsedCurrent = Math.max(0, now - this.slotStart);
    const span = (n - 1) * this.slotMs + Math.min(this.slotMs, elapsedCurrent);
    return span > 0 ? (this.sum * 1000) / Math.max(span, this.slotMs) : 0;
  }

  private advance(now: Millis): void {
    let steps = Math.floor((now - this.slotStart) / this.slotMs);
    if (steps <= 0) return;
    const n = this.slots.length;
    if (steps >= n) {
      this.slots.fill(0);
      this.sum = 0;
      this.slotStart += steps * this.slotMs;
      return;
    }
    this.slotStart += steps * this.slotMs;
    while (steps-- > 0) {
      this.idx = (this.idx + 1) % n;
      this.sum -= this.slots[this.idx];
      this.slots[this.idx] = 0;
    }
  }
}

test('rate: the lazy meter reads exactly as an always-allocated one, through idle gaps and bursts (property)', (t) => {
  const step = fc.record({ dt: fc.oneof(fc.nat(700), fc.nat(20_000), fc.double({ min: 0, max: 3000, noNaN: true })), bytes: fc.oneof(fc.constant(0), fc.nat(1 << 20)), read: fc.boolean() });
  fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 50, max: 2000 }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.array(step, { maxLength: 60 }), (slotsN, slotMs, start, steps) => {
    const lazy = new RateMeter(start, slotsN * slotMs, slotMs);
    const ref = new EagerRateMeter(start, slotsN * slotMs, slotMs);
    let now = start;
    for (const s of steps) {
      now += s.dt;
      if (s.read) t.is(lazy.rate(now), ref.rate(now));
      else { lazy.add(s.bytes, now); ref.add(s.bytes, now); }
      t.is(lazy.total, ref.total);
    }
    t.is(lazy.rate(now), ref.rate(now));
  }), { numRuns: 300 });
});
