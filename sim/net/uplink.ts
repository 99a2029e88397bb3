import type { SimNode } from './node.js';
import type { LinkEnd } from './link.js';
import type { SimNetwork } from './network.js';

/**
 * A node's uplink: one server with capacity `node.upRate` bytes/ms, serving the node's links
 * ROUND-ROBIN, one whole message per turn. A link with queued messages waits in `ring`; when
 * the uplink is free it takes the link at the head, transmits that link's oldest message for
 * size / upRate ms, then puts the link at the back if it still has messages. With equal-size
 * messages (16 KiB blocks dominate bulk traffic) this is a fair share of the uplink among the
 * busy links, and it costs one event per message — no per-byte work, no rate recomputation.
 *
 * A link whose window is full (see NetConfig.windowBytes) is left out of the ring until a
 * delivery frees room; the uplink meanwhile serves the others (work conserving).
 */
export class Uplink {
  private ring: LinkEnd[] = [];
  private head = 0;
  private busy = false;
  private cur: LinkEnd | null = null;
  private curItem: unknown = null;
  private curSize = 0;

  constructor(private readonly node: SimNode, private readonly net: SimNetwork) {}

  /** Offer `end` a turn (it must be open with something queued and window room). */
  enqueue(end: LinkEnd): void {
    if (end.inRing) return;
    end.inRing = true;
    this.ring.push(end);
    if (!this.busy) this.next();
  }

  private next(): void {
    const ring = this.ring;
    while (this.head < ring.length) {
      const end = ring[this.head];
      ring[this.head++] = undefined as unknown as LinkEnd;
      end.inRing = false;
      if (!end.canTransmit()) continue;
      const size = end.sendQ.peekSize();
      const item = end.sendQ.shift();
      end.beginTransmit(size);
      this.cur = end;
      this.curItem = item;
      this.curSize = size;
      this.busy = true;
      if (this.head > 256 && this.head * 2 > ring.length) { this.ring = ring.slice(this.head); this.head = 0; }
      const k = this.net.kernel;
      k.schedule(k.now + size / this.node.upRate, this.done, 0, this.node.ctx);
      return;
    }
    this.ring.length = 0;
    this.head = 0;
    this.busy = false;
  }

  /** The message on the wire has left the uplink (prebound: one closure per uplink, not per message). */
  private readonly done = (): void => {
    const end = this.cur as LinkEnd;
    const item = this.curItem;
    const size = this.curSize;
    this.cur = null;
    this.curItem = null;
    // Still busy while the link reacts (delivery, onDrain → more sends → enqueue), so those
    // re-entrant enqueues only join the ring; the next turn starts below, once.
    end.endTransmit(item, size);
    this.busy = false;
    this.next();
  };
}
