import type { Millis } from '../seam/time.js';

/**
 * A token bucket on the caller's clock (pure: time is handed in): `ratePerSec` tokens a second
 * on average, at most `burst` saved up. Starts full.
 */
export class TokenBucket {
  private tokens: number;
  private at: Millis;

  constructor(readonly ratePerSec: number, readonly burst: number, now: Millis) {
    this.tokens = burst;
    this.at = now;
  }

  /** Take one token; false means "over the limit, not now". */
  take(now: Millis): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** A token is there to take at `now` (nothing is taken). */
  ready(now: Millis): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  /** The bucket would be full at `now` (nothing to remember about this source). */
  isFull(now: Millis): boolean {
    return this.tokens + ((now - this.at) / 1000) * this.ratePerSec >= this.burst;
  }

  private refill(now: Millis): void {
    if (now > this.at) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.ratePerSec);
      this.at = now;
    }
  }
}
