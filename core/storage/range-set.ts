/**
 * Which bytes of a partial piece have arrived. Blocks come in any order and may repeat, and a
 * piece must not be hashed before every byte is in (an all-zero piece would otherwise "verify"
 * from an untouched buffer). Sorted, disjoint, non-adjacent [start, end) intervals; a handful in
 * practice (blocks mostly arrive in request order), so a plain array beats a tree.
 */
export class RangeSet {
  private readonly r: Array<[number, number]> = [];
  private total = 0;

  add(start: number, end: number): void {
    if (end <= start) return;
    // Find the first interval that ends at or after `start` (it may merge with the new one).
    let i = 0;
    while (i < this.r.length && this.r[i][1] < start) i++;
    let s = start, e = end, j = i;
    while (j < this.r.length && this.r[j][0] <= end) {
      s = Math.min(s, this.r[j][0]);
      e = Math.max(e, this.r[j][1]);
      this.total -= this.r[j][1] - this.r[j][0];
      j++;
    }
    this.r.splice(i, j - i, [s, e]);
    this.total += e - s;
  }

  /** Number of distinct bytes covered. */
  get covered(): number { return this.total; }

  /** True when every byte of [start, end) is covered. */
  covers(start: number, end: number): boolean {
    if (end <= start) return true;
    for (const [s, e] of this.r) if (s <= start && e >= end) return true;
    return false;
  }

  /** The intervals, for tests and diagnostics. */
  intervals(): Array<[number, number]> { return this.r.map(([s, e]) => [s, e]); }
}
