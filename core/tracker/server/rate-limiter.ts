/**
 * Requests per address per fixed window. The table is dropped at each window boundary and
 * capped in size, so its memory is bounded whatever the traffic (past the cap it fails open:
 * better to serve a flood than to lock everyone out).
 */
export class RateLimiter {
  private windowStart = -Infinity;
  private counts = new Map<string, number>();

  constructor(private readonly windowMs: number, private readonly max: number, private readonly maxTracked = 100_000) {}

  /** True when `key` may make one more request now. */
  allow(key: string, now: number): boolean {
    if (this.max <= 0) return true;
    if (now - this.windowStart >= this.windowMs) { this.windowStart = now; this.counts.clear(); }
    const c = this.counts.get(key) ?? 0;
    if (c >= this.max) return false;
    if (c === 0 && this.counts.size >= this.maxTracked) return true;
    this.counts.set(key, c + 1);
    return true;
  }
}
