import type { Kernel, NodeCtx } from '../kernel/kernel.js';

/** What the downlink hands back to the link end a delivery is for. */
export interface DownlinkEnd {
  /** Deliver `count` entries taken from the downlink (in deliveredItems/deliveredSizes), `bytes` in all. */
  deliverBatch(count: number, bytes: number): void;
}

/**
 * Inbox time of an entry that joins the batch before it: a batch of small messages committed
 * in one uplink turn is delivered by ONE event, at its last message's delivery time (stored
 * on the batch's first entry). Entries instead of an array per batch: nothing to allocate.
 */
const JOINED = -1;
/** A queue that grew past this many entries gives its memory back when it empties. */
const SHRINK_ABOVE = 1024;

/** Filled by the delivery event for DownlinkEnd.deliverBatch (never re-entered: deliveries only run from kernel events). */
export const deliveredItems: unknown[] = [];
export const deliveredSizes: number[] = [];

/**
 * A node's downlink: ONE first-in-first-out server of capacity `rate` bytes/ms shared by all
 * the node's incoming links (see README: bandwidth model). A message booked at its arrival
 * time starts when the downlink is free and is delivered `size / rate` ms later, so delivery
 * times never decrease — which is why one queue per NODE suffices for in-order delivery.
 *
 * WHY per node, not per link: with a queue per link, every busy link had a kernel event and
 * its own ring buffers, and a delivery touched memory no other delivery had touched recently
 * (tens of thousands of link ends in a big swarm). One queue per node keeps one event per
 * busy node in the heap and the queue's memory hot; the delivery order is the same (times
 * are strictly increasing per node for messages of non-zero size).
 *
 * The single queue relies on booking order = delivery order, which holds because a message
 * books its downlink slot when it is SENT (arrival = send time + latency; see README: known
 * simplifications — a message from a distant peer reserves the slot before it arrives). A
 * model that booked at arrival instead would need per-link queues again.
 */
export class Downlink {
  /** When the downlink finishes the bytes already committed to it. */
  free: number;
  /** [end, item, size, …] per entry (stride 3: one place in memory per entry), times apart (doubles). */
  private slots: unknown[] = [];
  private times: number[] = [];
  private head = 0;
  private count = 0;
  private mask = -1;
  /** The batch being built sits at the head of an empty queue: seal() must schedule it. */
  private headUnscheduled = false;

  constructor(private readonly kernel: Kernel, private readonly ctx: NodeCtx, readonly rate: number, now: number) {
    this.free = now;
  }

  get length(): number { return this.count; }

  /** Book a message for `end` arriving at `arrival`; returns its delivery time. */
  book(end: DownlinkEnd, item: unknown, size: number, arrival: number): number {
    const start = arrival > this.free ? arrival : this.free;
    const at = start + size / this.rate;
    this.free = at;
    this.push(end, item, size, at);
    if (this.count === 1) this.kernel.schedule(at, this.deliver, 0, this.ctx);
    return at;
  }

  /**
   * Book one message of a batch (see JOINED): the first opens it, the others join it; seal()
   * then fixes the batch's delivery time (the last message's) and schedules it if at the head.
   */
  bookBatched(end: DownlinkEnd, item: unknown, size: number, arrival: number, first: boolean): number {
    const start = arrival > this.free ? arrival : this.free;
    const at = start + size / this.rate;
    this.free = at;
    this.push(end, item, size, first ? 0 : JOINED);
    if (first && this.count === 1) this.headUnscheduled = true;
    return at;
  }

  seal(count: number, at: number): void {
    this.times[(this.head + this.count - count) & this.mask] = at;
    if (this.headUnscheduled) {
      this.headUnscheduled = false;
      this.kernel.schedule(at, this.deliver, 0, this.ctx);
    }
  }

  /** Deliver the head entry (or batch) to its link end (prebound: no closure per message). */
  private readonly deliver = (): void => {
    const slots = this.slots;
    const end = slots[this.head * 3] as DownlinkEnd;
    let bytes = 0;
    let n = 0;
    do {
      const j = this.head * 3;
      const size = slots[j + 2] as number;
      deliveredItems[n] = slots[j + 1];
      deliveredSizes[n++] = size;
      bytes += size;
      slots[j] = undefined;
      slots[j + 1] = undefined;
      this.head = (this.head + 1) & this.mask;
      this.count--;
    } while (this.count > 0 && this.times[this.head] === JOINED);
    if (this.count > 0) this.kernel.schedule(this.times[this.head], this.deliver, 0, this.ctx);
    else {
      this.head = 0;
      if (this.mask + 1 > SHRINK_ABOVE) { this.slots = []; this.times = []; this.mask = -1; }
    }
    end.deliverBatch(n, bytes);
    for (let i = 0; i < n; i++) deliveredItems[i] = undefined;
  };

  private push(end: DownlinkEnd, item: unknown, size: number, time: number): void {
    if (this.count === this.mask + 1) this.grow();
    const i = (this.head + this.count) & this.mask;
    const j = i * 3;
    this.slots[j] = end;
    this.slots[j + 1] = item;
    this.slots[j + 2] = size;
    this.times[i] = time;
    this.count++;
  }

  private grow(): void {
    const cap = this.mask + 1;
    const next = cap === 0 ? 64 : cap * 2;
    const slots = new Array<unknown>(next * 3).fill(undefined);
    const times = new Array<number>(next).fill(0.5); // a double array from the start (times are fractional)
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & this.mask;
      for (let f = 0; f < 3; f++) slots[k * 3 + f] = this.slots[i * 3 + f];
      times[k] = this.times[i];
    }
    this.slots = slots;
    this.times = times;
    this.head = 0;
    this.mask = next - 1;
  }
}
