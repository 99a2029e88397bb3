/**
 * The simulator's event queue: a binary min-heap keyed by (time, priority, sequence).
 *
 * WHY this shape: the kernel must pop > 1 M events/s, so the heap keeps its keys in parallel
 * typed arrays (no object per entry, no closures in comparisons) and moves three numbers per
 * swap. Priority and sequence are packed into ONE float64 (`priority * 2^40 + seq`), so a
 * comparison is at most two float compares. Ties between equal (time, priority) break by the
 * sequence number, i.e. by insertion order — the same order on every run (SimPy's rule).
 *
 * Entries point at a SLOT that holds the callback and the node context; slots are recycled
 * through a free list. Cancellation is lazy: it clears the slot's callback and the popped
 * entry is skipped. A slot remembers the sequence number it was issued for, so a stale handle
 * can never cancel a later event that reuses its slot.
 */

/** Priorities must stay in this range so `priority * 2^40 + seq` stays an exact integer. */
export const MIN_PRIORITY = -4096;
export const MAX_PRIORITY = 4095;
const SEQ_SPAN = 2 ** 40;

export class EventHeap<F, C> {
  private hT: Float64Array;
  private hK: Float64Array;
  private hS: Int32Array;
  private size = 0;

  private slotFn: (F | null)[] = [];
  private slotCtx: (C | null)[] = [];
  private slotSeq: Float64Array;
  private free: Int32Array;
  private freeTop = 0;
  private slotCount = 0;
  private seq = 0;

  constructor(initialCapacity = 1024) {
    const n = Math.max(16, initialCapacity);
    this.hT = new Float64Array(n);
    this.hK = new Float64Array(n);
    this.hS = new Int32Array(n);
    this.slotSeq = new Float64Array(n);
    this.free = new Int32Array(n);
  }

  /** Entries in the heap, cancelled ones included (they are dropped when they reach the top). */
  get length(): number { return this.size; }

  /** Insert; returns the slot. The pair (slot, slotSeqOf(slot)) is the handle for `cancel`. */
  push(time: number, priority: number, fn: F, ctx: C | null): number {
    if (!(priority >= MIN_PRIORITY && priority <= MAX_PRIORITY) || !Number.isInteger(priority)) {
      throw new RangeError(`event priority must be an integer in [${MIN_PRIORITY}, ${MAX_PRIORITY}], got ${priority}`);
    }
    const seq = this.seq++;
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop];
    else {
      slot = this.slotCount++;
      if (slot >= this.slotSeq.length) this.growSlots();
    }
    this.slotFn[slot] = fn;
    this.slotCtx[slot] = ctx;
    this.slotSeq[slot] = seq;

    if (this.size === this.hT.length) this.growHeap();
    const key = priority * SEQ_SPAN + seq;
    // Sift up with a hole instead of swaps.
    const hT = this.hT, hK = this.hK, hS = this.hS;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = hT[p];
      if (pt < time || (pt === time && hK[p] < key)) break;
      hT[i] = pt; hK[i] = hK[p]; hS[i] = hS[p];
      i = p;
    }
    hT[i] = time; hK[i] = key; hS[i] = slot;
    return slot;
  }

  /** Lazy cancel by (slot, seq). Returns true if the event was still pending. */
  cancel(seq: number, slot: number): boolean {
    if (slot < 0 || slot >= this.slotCount || this.slotSeq[slot] !== seq || this.slotFn[slot] === null) return false;
    this.slotFn[slot] = null;
    this.slotCtx[slot] = null;
    return true;
  }

  /** Time of the earliest entry (cancelled or not), or Infinity when empty. */
  peekTime(): number { return this.size > 0 ? this.hT[0] : Infinity; }

  /** Packed (priority, sequence) key of the earliest entry; only meaningful when not empty. */
  peekKey(): number { return this.hK[0]; }

  /**
   * Take the next sequence number without inserting (the kernel's same-instant FIFO shares the
   * sequence so that its entries interleave with heap entries exactly as if they were pushed).
   */
  takeSeq(): number { return this.seq++; }

  /**
   * Remove the earliest entry. Returns its slot; read it with slotFnOf/slotCtxOf, then call
   * release(slot). -1 when empty.
   */
  popSlot(): number {
    const n = this.size;
    if (n === 0) return -1;
    const hT = this.hT, hK = this.hK, hS = this.hS;
    const top = hS[0];
    const last = n - 1;
    this.size = last;
    if (last > 0) {
      const t = hT[last], k = hK[last], s = hS[last];
      // Sift the last entry down from the root.
      let i = 0;
      const half = last >> 1;
      while (i < half) {
        let c = 2 * i + 1;
        let ct = hT[c], ck = hK[c];
        const r = c + 1;
        if (r < last) {
          const rt = hT[r];
          if (rt < ct || (rt === ct && hK[r] < ck)) { c = r; ct = rt; ck = hK[r]; }
        }
        if (t < ct || (t === ct && k < ck)) break;
        hT[i] = ct; hK[i] = ck; hS[i] = hS[c];
        i = c;
      }
      hT[i] = t; hK[i] = k; hS[i] = s;
    }
    return top;
  }

  slotFnOf(slot: number): F | null { return this.slotFn[slot]; }
  slotCtxOf(slot: number): C | null { return this.slotCtx[slot]; }
  slotSeqOf(slot: number): number { return this.slotSeq[slot]; }

  release(slot: number): void {
    this.slotFn[slot] = null;
    this.slotCtx[slot] = null;
    this.slotSeq[slot] = -1;
    this.free[this.freeTop++] = slot;
  }

  private growHeap(): void {
    const n = this.hT.length * 2;
    const t = new Float64Array(n); t.set(this.hT); this.hT = t;
    const k = new Float64Array(n); k.set(this.hK); this.hK = k;
    const s = new Int32Array(n); s.set(this.hS); this.hS = s;
  }

  private growSlots(): void {
    const n = this.slotSeq.length * 2;
    const q = new Float64Array(n).fill(-1); q.set(this.slotSeq); this.slotSeq = q;
    const f = new Int32Array(n); f.set(this.free); this.free = f;
  }
}
