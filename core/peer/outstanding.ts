/**
 * Our requests in flight to one peer: request key (reqKey(index, begin)) → block length.
 *
 * WHY this shape: a connection holds dozens of requests at a time and a 10,000-node simulation
 * hundreds of thousands of connections. The index and offset are in the key already, so a
 * request is one Map entry of two small integers instead of an entry pointing at an object
 * (≈ 56 bytes each); and the Map exists only while there are requests — a connection we are
 * not downloading from (most of them: a peer unchokes a handful) held an empty one, ≈ 185
 * bytes, all its life. Iteration is in insertion order, as the Map's.
 */
export class OutstandingRequests {
  private m: Map<number, number> | null = null;

  get size(): number { return this.m === null ? 0 : this.m.size; }
  has(key: number): boolean { return this.m !== null && this.m.has(key); }
  /** The requested length, or 0 when there is no such request. */
  lengthOf(key: number): number { return this.m === null ? 0 : this.m.get(key) ?? 0; }
  add(key: number, length: number): void { (this.m ??= new Map()).set(key, length); }
  delete(key: number): boolean {
    const m = this.m;
    if (m === null || !m.delete(key)) return false;
    if (m.size === 0) this.m = null;
    return true;
  }
  /** Every request as (index, begin, length), in the order they were added; then none are left. */
  drain(fn: (index: number, begin: number, length: number) => void): void {
    const m = this.m;
    if (m === null) return;
    this.m = null;
    for (const [key, length] of m) fn(reqIndex(key), reqBegin(key), length);
  }
}

/** The key of the request for `length` bytes at `begin` of piece `index` (begin a multiple of 1 KiB, < 1 GiB). */
export const reqKey = (index: number, begin: number): number => index * 0x100000 + begin / 1024;
export const reqIndex = (key: number): number => Math.floor(key / 0x100000);
export const reqBegin = (key: number): number => (key % 0x100000) * 1024;
