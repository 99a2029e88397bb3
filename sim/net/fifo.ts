/**
 * A FIFO of (item, size) pairs with O(1) push/shift and no per-entry allocation: two plain
 * arrays and a head index, compacted when the consumed prefix dominates. Used for per-link
 * send queues and in-order delivery queues.
 */
export class SizedFifo<T> {
  private items: (T | undefined)[] = [];
  private sizes: number[] = [];
  private head = 0;

  get length(): number { return this.items.length - this.head; }

  push(item: T, size: number): void {
    this.items.push(item);
    this.sizes.push(size);
  }

  peekSize(): number { return this.sizes[this.head]; }

  /** Remove the oldest entry; read its size with peekSize() first. */
  shift(): T {
    const h = this.head;
    const item = this.items[h] as T;
    this.items[h] = undefined;
    this.head = h + 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    } else if (this.head === this.items.length) {
      this.items.length = 0;
      this.sizes.length = 0;
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.sizes = [];
    this.head = 0;
  }
}
