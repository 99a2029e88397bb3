import type { Millis } from '../seam/time.js';

/**
 * Per-source token buckets: each IP may send `ratePerSec` queries per second on average with
 * bursts up to `burst`. Past that we drop its queries silently (no reply = nothing to amplify).
 * The map is bounded: when it grows past `maxSources`, full buckets (idle sources) are dropped.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: Millis }>();

  constructor(readonly ratePerSec = 25, readonly burst = 50, readonly maxSources = 10_000) {}

  /** Take one token for `key`; false means "over the limit, drop it". */
  allow(key: string, now: Millis): boolean {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxSources) this.prune(now);
      b = { tokens: this.burst, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSec);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private prune(now: Millis): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.ratePerSec >= this.burst) this.buckets.delete(k);
    }
    // Everyone is busy: forget the oldest half rather than grow.
    if (this.buckets.size >= this.maxSources) {
      let n = this.buckets.size / 2;
      for (const k of this.buckets.keys()) { if (n-- <= 0) break; this.buckets.delete(k); }
    }
  }
}
