/**
 * A FIFO of (item, size) pairs in ONE array used as a ring buffer — item and size side by
 * side, so reading or writing an entry touches one place in memory — whose capacity is a
 * power of two, doubled when full. Used for per-link send queues and the uplink's ring.
 *
 * WHY a ring: a link's queue is pushed and shifted for every message of a run. Arrays used
 * with push/shift and truncated when empty re-allocated on every refill (a tenth of all bytes
 * allocated in the default swarm run); arrays compacted now and then held up to a thousand
 * consumed slots per busy link (kilobytes per link, gigabytes over a 10,000-node swarm). A
 * ring allocates only to grow, and holds what the queue ever held at once (a queue that grew
 * past SHRINK_ABOVE gives the memory back when it empties).
 *
 * WHY interleaved: with tens of thousands of links, a queue's memory is rarely still in the
 * CPU cache when its link sends again; parallel arrays (items, sizes) cost a miss each.
 */
const SHRINK_ABOVE = 1024;
const EMPTY: never[] = [];

export class SizedFifo<T> {
  /** [item, size, item, size, …]; entry i at slots 2i and 2i+1. */
  private slots: unknown[] = EMPTY;
  private head = 0;
  private count = 0;
  /** capacity − 1 (capacity is a power of two, or 0 before the first push). */
  private mask = -1;

  get length(): number { return this.count; }

  push(item: T, size: number): void {
    if (this.count === this.mask + 1) this.grow();
    const i = ((this.head + this.count) & this.mask) << 1;
    this.slots[i] = item;
    this.slots[i + 1] = size;
    this.count++;
  }

  peekSize(): number { return this.slots[(this.head << 1) + 1] as number; }

  /** Remove the oldest entry; read its size with peekSize() first. */
  shift(): T {
    const h = this.head;
    const item = this.slots[h << 1] as T;
    this.slots[h << 1] = undefined;
    this.head = (h + 1) & this.mask;
    if (--this.count === 0) {
      this.head = 0;
      if (this.mask + 1 > SHRINK_ABOVE) this.clear();
    }
    return item;
  }

  clear(): void {
    this.slots = EMPTY;
    this.head = 0;
    this.count = 0;
    this.mask = -1;
  }

  private grow(): void {
    const cap = this.mask + 1;
    const next = cap === 0 ? 4 : cap * 2;
    const slots = new Array<unknown>(next * 2).fill(undefined);
    for (let k = 0; k < this.count; k++) {
      const j = ((this.head + k) & this.mask) << 1;
      slots[k << 1] = this.slots[j];
      slots[(k << 1) + 1] = this.slots[j + 1];
    }
    this.slots = slots;
    this.head = 0;
    this.mask = next - 1;
  }
}
