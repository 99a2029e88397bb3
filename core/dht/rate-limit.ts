import type { Millis } from '../seam/time.js';
import { TokenBucket } from '../util/token-bucket.js';

/**
 * Per-source token buckets: each IP may send `ratePerSec` queries per second on average with
 * bursts up to `burst`. Past that we drop its queries silently (no reply = nothing to amplify).
 * The map is bounded: when it grows past `maxSources`, full buckets (idle sources) are dropped.
 */
export class RateLimiter {
  private buckets = new Map<string, TokenBucket>();

  constructor(readonly ratePerSec = 25, readonly burst = 50, readonly maxSources = 10_000) {}

  /** Take one token for `key`; false means "over the limit, drop it". */
  allow(key: string, now: Millis): boolean {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxSources) this.prune(now);
      b = new TokenBucket(this.ratePerSec, this.burst, now);
      this.buckets.set(key, b);
    }
    return b.take(now);
  }

  private prune(now: Millis): void {
    for (const [k, b] of this.buckets) {
      if (b.isFull(now)) this.buckets.delete(k);
    }
    // Everyone is busy: forget the oldest half rather than grow.
    if (this.buckets.size >= this.maxSources) {
      let n = this.buckets.size / 2;
      for (const k of this.buckets.keys()) { if (n-- <= 0) break; this.buckets.delete(k); }
    }
  }
}
