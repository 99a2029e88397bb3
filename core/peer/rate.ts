import type { Millis } from '../seam/time.js';

/**
 * Transfer rate over a sliding window of fixed-width slots (bytes/s). Driven by the caller's
 * clock, so it reads the same in the real world and in the simulator. O(1) per add.
 */
export class RateMeter {
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
