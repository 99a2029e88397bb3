/**
 * A FIFO of (item, size, time) triples with O(1) push/shift and no per-entry allocation:
 * plain arrays and a head index, compacted when the consumed prefix dominates. Used for
 * per-link send queues (time unused) and in-order delivery queues (time = delivery time).
 */
export class SizedFifo<T> {
  private items: (T | undefined)[] = [];
  private sizes: number[] = [];
  private times: number[] = [];
  private head = 0;

  get length(): number { return this.items.length - this.head; }

  push(item: T, size: number, time = 0): void {
    this.items.push(item);
    this.sizes.push(size);
    this.times.push(time);
  }

  peekSize(): number { return this.sizes[this.head]; }
  peekTime(): number { return this.times[this.head]; }

  /** Remove the oldest entry; read its size with peekSize() first. */
  shift(): T {
    const h = this.head;
    const item = this.items[h] as T;
    this.items[h] = undefined;
    this.head = h + 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    } else if (this.head === this.items.length) {
      this.items.length = 0;
      this.sizes.length = 0;
      this.times.length = 0;
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.sizes = [];
    this.times = [];
    this.head = 0;
  }
}
