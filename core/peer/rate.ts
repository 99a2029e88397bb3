import type { Millis } from '../seam/time.js';

/**
 * Transfer rate over a sliding window of fixed-width slots (bytes/s). Driven by the caller's
 * clock, so it reads the same in the real world and in the simulator. O(1) per add.
 *
 * The slots exist only while the window holds bytes: two meters per connection, and most
 * connections of a big swarm move no data at any one time (a peer unchokes a handful), so an
 * idle meter gives its slot array back (≈ 130 bytes) once a whole window has passed without data.
 */
export class RateMeter {
  /** A plain double array, not a Float64Array (a typed array costs an ArrayBuffer, ≈ 200 bytes more); null = all zero. */
  private slots: number[] | null = null;
  private readonly n: number;
  private slotStart: Millis;
  private idx = 0;
  private sum = 0;
  total = 0;

  constructor(now: Millis, private readonly windowMs: Millis = 5000, private readonly slotMs: Millis = 500) {
    this.n = Math.max(1, Math.round(windowMs / slotMs));
    this.slotStart = now;
  }

  add(bytes: number, now: Millis): void {
    this.advance(now);
    const s = this.slots ??= new Array<number>(this.n).fill(0.5).fill(0); // 0.5 first: double elements from the start
    s[this.idx] += bytes;
    this.sum += bytes;
    this.total += bytes;
  }

  /** Bytes per second over the window (the partial current slot counts as its elapsed share). */
  rate(now: Millis): number {
    this.advance(now);
    const elapsedCurrent = Math.max(0, now - this.slotStart);
    const span = (this.n - 1) * this.slotMs + Math.min(this.slotMs, elapsedCurrent);
    return span > 0 ? (this.sum * 1000) / Math.max(span, this.slotMs) : 0;
  }

  private advance(now: Millis): void {
    let steps = Math.floor((now - this.slotStart) / this.slotMs);
    if (steps <= 0) return;
    const n = this.n;
    this.slotStart += steps * this.slotMs;
    if (steps >= n) {
      // A whole window without data: everything is zero (the slot index stays, as it always has).
      this.slots = null;
      this.sum = 0;
      return;
    }
    const s = this.slots;
    if (s === null) { this.idx = (this.idx + steps) % n; return; }
    while (steps-- > 0) {
      this.idx = (this.idx + 1) % n;
      this.sum -= s[this.idx];
      s[this.idx] = 0;
    }
  }
}
