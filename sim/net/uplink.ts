import type { SimNode } from './node.js';
import type { LinkEnd } from './link.js';
import type { SimNetwork } from './network.js';
import { SizedFifo } from './fifo.js';

/**
 * Messages up to this many wire bytes are "small" (handshake, have, request, cancel, reject,
 * choke…, bitfields of torrents up to ~4000 pieces, most extended messages). The uplink
 * commits them in batches (see Uplink); anything larger — piece messages, metadata pieces —
 * takes one uplink turn and one event of its own.
 */
export const SMALL_MESSAGE_BYTES = 512;

/**
 * A node's uplink: one server with capacity `node.upRate` bytes/ms, serving the node's links
 * ROUND-ROBIN. A link with queued messages waits in `ring`. A turn takes the link at the head
 * and sends its leading SMALL messages plus at most ONE large message, back to back; the link
 * goes to the back of the ring if it still has messages. With equal-size large messages
 * (16 KiB blocks dominate bulk traffic) this is a fair share of the uplink among busy links.
 *
 * WHY small messages are batched: in a swarm, haves (one per verified piece per neighbour),
 * requests and rejects outnumber blocks 3 : 1. Sent one turn and one kernel event each, they
 * were most of the simulator's events. Now, when the uplink is free, everything queued at one
 * instant is served by ONE event (`serve`): small messages are committed at once with their
 * exact departure times (cumulative size / upRate from the moment the uplink is free) and go
 * to the receiver as one batch per link; the first large message ends the round and its event
 * fires when it has left the uplink. Bytes are charged exactly as before; the only change is
 * that a small message's downlink slot at the receiver is booked when it is committed — at
 * most a few small messages' worth of microseconds ahead of its departure.
 *
 * A link whose window is full (see NetConfig.windowBytes) is left out of the ring until a
 * delivery frees room; the uplink meanwhile serves the others (work conserving).
 */
export class Uplink {
  /** Links waiting for a turn (sizes and times unused). */
  private readonly ring = new SizedFifo<LinkEnd>();
  /** A large message is on the uplink (its `done` event is pending). */
  private busy = false;
  /** A `serve` event is queued for the current instant. */
  private serveQueued = false;
  private serving = false;
  /** When the small messages committed so far have left the uplink. */
  private freeAt = 0;
  private cur: LinkEnd | null = null;
  private curItem: unknown = null;
  private curSize = 0;

  constructor(private readonly node: SimNode, private readonly net: SimNetwork) {}

  /** Offer `end` a turn (it must be open with something queued and window room). */
  enqueue(end: LinkEnd): void {
    if (end.inRing) return;
    end.inRing = true;
    this.ring.push(end, 0);
    if (!this.busy && !this.serving && !this.serveQueued) {
      // Not at once: let the caller finish queuing (a burst of requests, a have to every
      // neighbour) so that one event serves them all.
      this.serveQueued = true;
      const k = this.net.kernel;
      k.schedule(k.now, this.serveEvent, 0, this.node.ctx);
    }
  }

  private readonly serveEvent = (): void => {
    this.serveQueued = false;
    if (!this.busy) this.serve();
  };

  /** Run turns until a large message occupies the uplink or nobody has anything to send. */
  private serve(): void {
    this.serving = true;
    const rate = this.node.upRate;
    const k = this.net.kernel;
    let t = this.freeAt > k.now ? this.freeAt : k.now;
    const ring = this.ring;
    while (ring.length > 0) {
      const end = ring.shift();
      end.inRing = false;
      if (!end.canTransmit()) continue;
      t = end.sendSmall(t, rate);
      if (!end.canTransmit()) continue; // all small, or its window filled up
      const size = end.sendQ.peekSize();
      const item = end.sendQ.shift();
      end.beginTransmit(size);
      this.cur = end;
      this.curItem = item;
      this.curSize = size;
      this.busy = true;
      t += size / rate;
      break;
    }
    this.freeAt = t;
    this.serving = false;
    if (this.busy) k.schedule(t, this.done, 0, this.node.ctx);
  }

  /** The large message on the wire has left the uplink (prebound: one closure per uplink, not per message). */
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
    this.serve();
  };
}
