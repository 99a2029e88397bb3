/**
 * A FIFO of (item, size, time) triples: three parallel arrays used as one ring buffer whose
 * capacity is a power of two, doubled when full. Used for per-link send queues (time unused)
 * and in-order delivery queues (time = delivery time).
 *
 * WHY a ring: a link's queues are pushed and shifted for every message of a run. Arrays used
 * with push/shift and truncated when empty re-allocated on every refill (a tenth of all bytes
 * allocated in the default swarm run); arrays compacted now and then held up to a thousand
 * consumed slots per busy link (kilobytes per link, gigabytes over a 10,000-node swarm). A
 * ring allocates only to grow, and holds what the queue ever held at once (a queue that grew
 * past SHRINK_ABOVE gives the memory back when it empties).
 */
const SHRINK_ABOVE = 1024;
const EMPTY: never[] = [];

export class SizedFifo<T> {
  private items: (T | undefined)[] = EMPTY;
  private sizes: number[] = EMPTY;
  private times: number[] = EMPTY;
  private head = 0;
  private count = 0;
  /** capacity − 1 (capacity is a power of two, or 0 before the first push). */
  private mask = -1;

  get length(): number { return this.count; }

  push(item: T, size: number, time = 0): void {
    if (this.count === this.mask + 1) this.grow();
    const i = (this.head + this.count) & this.mask;
    this.items[i] = item;
    this.sizes[i] = size;
    this.times[i] = time;
    this.count++;
  }

  peekSize(): number { return this.sizes[this.head]; }
  peekTime(): number { return this.times[this.head]; }
  /** Set the time of the entry `fromEnd` places before the end (1 = the newest). */
  setTimeFromEnd(fromEnd: number, time: number): void { this.times[(this.head + this.count - fromEnd) & this.mask] = time; }

  /** Remove the oldest entry; read its size with peekSize() first. */
  shift(): T {
    const h = this.head;
    const item = this.items[h] as T;
    this.items[h] = undefined;
    this.head = (h + 1) & this.mask;
    if (--this.count === 0) {
      this.head = 0;
      if (this.mask + 1 > SHRINK_ABOVE) this.clear();
    }
    return item;
  }

  clear(): void {
    this.items = EMPTY;
    this.sizes = EMPTY;
    this.times = EMPTY;
    this.head = 0;
    this.count = 0;
    this.mask = -1;
  }

  private grow(): void {
    const cap = this.mask + 1;
    const next = cap === 0 ? 4 : cap * 2;
    const items = new Array<T | undefined>(next);
    const sizes = new Array<number>(next).fill(0);
    const times = new Array<number>(next).fill(0.5); // a double array from the start (delivery times are fractional)
    for (let k = 0; k < this.count; k++) {
      const j = (this.head + k) & this.mask;
      items[k] = this.items[j];
      sizes[k] = this.sizes[j];
      times[k] = this.times[j];
    }
    this.items = items;
    this.sizes = sizes;
    this.times = times;
    this.head = 0;
    this.mask = next - 1;
  }
}
