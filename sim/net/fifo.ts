/**
 * A FIFO of (item, size, time) triples with O(1) push/shift and no per-entry allocation:
 * three parallel arrays used as a queue with head and tail indices. Used for per-link send
 * queues (time unused) and in-order delivery queues (time = delivery time).
 *
 * WHY indices instead of push/shift and `length = 0`: a link's queue empties and refills
 * thousands of times in a run, and truncating a JS array drops its backing store, so every
 * refill re-allocated and re-grew three arrays (allocation profiles of the default swarm run:
 * about a tenth of everything allocated). Here the arrays keep their capacity; an empty queue
 * just rewinds its indices. A queue that once grew past SHRINK_ABOVE entries gives that memory
 * back when it empties.
 */
const SHRINK_ABOVE = 1024;

export class SizedFifo<T> {
  private items: (T | undefined)[] = [];
  private sizes: number[] = [];
  private times: number[] = [];
  private head = 0;
  private tail = 0;

  get length(): number { return this.tail - this.head; }

  push(item: T, size: number, time = 0): void {
    const t = this.tail;
    if (t < this.items.length) {
      this.items[t] = item;
      this.sizes[t] = size;
      this.times[t] = time;
    } else {
      this.items.push(item);
      this.sizes.push(size);
      this.times.push(time);
    }
    this.tail = t + 1;
  }

  peekSize(): number { return this.sizes[this.head]; }
  /** Set the time of the entry `fromEnd` places before the end (1 = the newest). */
  setTimeFromEnd(fromEnd: number, time: number): void { this.times[this.tail - fromEnd] = time; }
  peekTime(): number { return this.times[this.head]; }

  /** Remove the oldest entry; read its size with peekSize() first. */
  shift(): T {
    const h = this.head;
    const item = this.items[h] as T;
    this.items[h] = undefined;
    if (h + 1 === this.tail) {
      this.head = 0;
      this.tail = 0;
      if (this.items.length > SHRINK_ABOVE) this.clear();
    } else if (h > 1024 && h * 2 > this.tail) {
      // A queue that never empties: drop the consumed prefix now and then.
      this.items = this.items.slice(h + 1, this.tail);
      this.sizes = this.sizes.slice(h + 1, this.tail);
      this.times = this.times.slice(h + 1, this.tail);
      this.head = 0;
      this.tail = this.items.length;
    } else {
      this.head = h + 1;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.sizes = [];
    this.times = [];
    this.head = 0;
    this.tail = 0;
  }
}
