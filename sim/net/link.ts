import type { Address, CloseInfo, PeerLink, PeerLinkEvents } from '../../core/seam/net.js';
import type { Handshake, PeerMessage } from '../../core/wire/types.js';
import { HANDSHAKE_SIZE, wireSize } from '../../core/wire/size.js';
import type { EventHandle, NodeCtx } from '../kernel/kernel.js';
import { SimUsageError } from '../kernel/errors.js';
import { SizedFifo } from './fifo.js';
import { SMALL_MESSAGE_BYTES } from './uplink.js';
import { deliveredItems, deliveredSizes, type Downlink, type DownlinkEnd } from './downlink.js';
import type { SimNode } from './node.js';
import type { SimNetwork } from './network.js';

type Item = Handshake | PeerMessage;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

const EV_HANDSHAKE = 0;
const EV_MESSAGE = 1;
const EV_DRAIN = 2;
const EV_CLOSE = 3;

/**
 * One end of a simulated peer-wire (TCP) connection, implementing the seam's PeerLink.
 *
 * Messages travel as the objects the core sent (never copied, never encoded), charged
 * wireSize() bytes (HANDSHAKE_SIZE for the handshake). Their journey: this end's send queue →
 * the node's round-robin uplink (size / upRate ms) → propagation (`latency`) → the receiver's
 * FIFO downlink (size / downRate ms, see downlink.ts) → delivered, in order, as a kernel event
 * of the receiver.
 *
 * Seam semantics (core/seam/net.ts), all enforced here:
 * - events arriving before attach() are queued and replayed, in order, right after it;
 * - the handshake is the first thing sent (messages sent before sendHandshake() are held
 *   until it, as in the real host) and hence the first event the other side sees;
 * - sends before the connection is established are queued;
 * - queuedBytes() = queued + the message being transmitted (what the uplink still owes);
 * - onDrain fires when queuedBytes() drops below the low-water mark after having reached it;
 * - onClose fires exactly once per end and nothing follows it; a close reaches the other end
 *   one latency later and never overtakes messages already on the wire.
 */
export class LinkEnd implements PeerLink, DownlinkEnd {
  readonly remote: Address;
  readonly outgoing: boolean;
  readonly node: SimNode;
  /** The incarnation of `node` that owns this end. */
  readonly ctx: NodeCtx;
  /** This end's port (ephemeral for dialed links, the listener's for accepted ones). */
  readonly localPort: number;
  peer: LinkEnd | null = null;
  /** One-way propagation latency to the peer, ms. */
  latency = 0;
  inRing = false;
  readonly sendQ = new SizedFifo<Item>();
  /** Bytes past the uplink start and not yet delivered (the window). */
  inFlight = 0;
  connectTimer: EventHandle | null = null;

  private state = CONNECTING;
  private qBytes = 0;
  private txBytes = 0;
  private transmitting = false;
  private handshakeSent = false;
  /** Messages sent before the handshake (see send). */
  private held: PeerMessage[] | null = null;
  private heldBytes = 0;
  private drainArmed = false;
  /** Delivery time of the last message sent on this direction (a close must not overtake it). */
  private lastDeliverAt = 0;
  /** Entries for this end waiting in its node's downlink. */
  private pendingIn = 0;
  /** A close from the peer that arrived while data for us was still in the downlink: applied after it. */
  private closeAfterData: string | null = null;
  private handlers: PeerLinkEvents | null = null;
  /** Events not yet dispatched: [kind, payload, kind, payload, …]. Non-null while replaying. */
  private pending: unknown[] | null = null;
  /** onClose has been queued or delivered: nothing else may be. */
  private finished = false;

  constructor(private readonly net: SimNetwork, node: SimNode, remote: Address, outgoing: boolean, localPort: number) {
    this.node = node;
    this.ctx = node.ctx;
    this.remote = remote;
    this.outgoing = outgoing;
    this.localPort = localPort;
    if (!outgoing) this.state = OPEN;
    node.ends.add(this);
  }

  get isOpen(): boolean { return this.state === OPEN; }
  get isClosed(): boolean { return this.state === CLOSED; }

  // ---------------------------------------------------------------- PeerLink

  attach(events: PeerLinkEvents): void {
    if (this.handlers !== null) throw new SimUsageError('PeerLink.attach called twice', { node: this.node.id });
    this.handlers = events;
    if (this.pending !== null) {
      const k = this.net.kernel;
      k.schedule(k.now, () => this.replay(), 0, this.ctx); // a closure only for links that need a replay
    }
  }

  handOver(events: PeerLinkEvents): void {
    if (this.handlers === null) { this.attach(events); return; }
    this.handlers = events; // dispatch() reads it per event, replays included
  }

  sendHandshake(h: Handshake): void {
    if (this.state === CLOSED || this.handshakeSent) return; // as the real host: a repeat is ignored
    this.handshakeSent = true;
    this.enqueue(h, HANDSHAKE_SIZE);
    const held = this.held;
    if (held !== null) {
      this.held = null;
      this.heldBytes = 0;
      for (const m of held) this.enqueue(m, wireSize(m));
    }
  }

  send(m: PeerMessage): void {
    if (this.state === CLOSED) return; // like writing to a destroyed socket: dropped
    if (!this.handshakeSent) {
      // Held until the handshake goes out, so the handshake is first on the wire (BEP3-HS-1),
      // exactly as host/net/peer-net.ts does.
      (this.held ??= []).push(m);
      this.heldBytes += wireSize(m);
      return;
    }
    this.enqueue(m, wireSize(m));
  }

  queuedBytes(): number { return this.qBytes + this.txBytes + this.heldBytes; }

  close(reason: string): void {
    if (this.state === CLOSED) return;
    this.shutdown(`peer closed: ${reason}`);
    if (!this.finished) {
      this.finished = true;
      const info: CloseInfo = { reason, local: true };
      const k = this.net.kernel;
      // Asynchronous like a real socket's 'close': the caller is not re-entered.
      k.schedule(k.now, () => this.deliverFinal(info), 0, this.ctx);
    }
    this.trace('link.close', reason, true);
  }

  // ---------------------------------------------------------------- network side

  /** Outgoing link: the SYN-ACK arrived. */
  established(): void {
    if (this.state !== CONNECTING) return;
    this.state = OPEN;
    this.connectTimer?.cancel();
    this.connectTimer = null;
    this.kick();
  }

  /** Outgoing link: refused or timed out. */
  failConnect(reason: string): void {
    if (this.state !== CONNECTING) return;
    this.shutdown('connection reset');
    this.emit(EV_CLOSE, { reason, local: false } satisfies CloseInfo);
    this.trace('link.close', reason, false);
  }

  /** The other end closed (or its node went away); arrives one latency after the fact. */
  remoteClosed(reason: string): void {
    if (this.state === CLOSED) return;
    this.shutdown(null);
    this.emit(EV_CLOSE, { reason, local: false } satisfies CloseInfo);
    this.trace('link.close', reason, false);
  }

  /** Our node stopped: close without telling our (dead) owner; the peer hears 'connection reset'. */
  killSilently(): void {
    if (this.state === CLOSED) return;
    this.finished = true;
    this.shutdown('connection reset');
  }

  canTransmit(): boolean {
    return this.state === OPEN && this.sendQ.length > 0 && this.inFlight < this.net.cfg.windowBytes;
  }

  beginTransmit(size: number): void {
    this.qBytes -= size;
    this.txBytes = size;
    this.inFlight += size;
    this.transmitting = true;
  }

  /** The uplink finished sending `item`: put it on the path to the peer. */
  endTransmit(item: unknown, size: number): void {
    this.txBytes = 0;
    this.transmitting = false;
    const peer = this.peer;
    const k = this.net.kernel;
    if (this.state === OPEN && peer !== null && peer.ctx.alive) {
      const st = this.node.stats;
      st.bytesUp += size;
      st.msgsUp++;
      if ((item as PeerMessage).type === 'piece') st.pieceBytesUp += (item as { block: Uint8Array }).block.length;
      // FIFO downlink at the receiver, entered at arrival (see README: bandwidth model).
      this.lastDeliverAt = peer.node.downlink.book(peer, item, size, k.now + this.latency);
      peer.pendingIn++;
    } else {
      this.inFlight -= size; // aborted by a close: the bytes never arrive
    }
    if (this.drainArmed && this.qBytes < this.net.cfg.lowWaterBytes) {
      this.drainArmed = false;
      this.emit(EV_DRAIN, null);
    }
    this.kick();
  }

  /**
   * Uplink turn, first part: commit the leading small messages (≤ SMALL_MESSAGE_BYTES) back to
   * back from uplink time `t`; returns the uplink time after them. Each is charged and booked
   * on the receiver's downlink exactly as a large message is in endTransmit; together they
   * reach the peer as ONE batch, delivered when the last of them would be (so the batch
   * costs one delivery event however many haves or requests it holds).
   */
  sendSmall(t: number, rate: number): number {
    const q = this.sendQ;
    if (q.length === 0 || q.peekSize() > SMALL_MESSAGE_BYTES) return t;
    const peer = this.peer as LinkEnd;
    const live = peer !== null && peer.ctx.alive;
    const down = live ? peer.node.downlink : null;
    const window = this.net.cfg.windowBytes;
    const st = this.node.stats;
    let count = 0;
    let lastAt = 0;
    while (q.length > 0 && this.inFlight < window) {
      const size = q.peekSize();
      if (size > SMALL_MESSAGE_BYTES) break;
      const item = q.shift();
      this.qBytes -= size;
      t += size / rate;
      if (!live) continue; // the peer's node is gone: the bytes leave and vanish
      st.bytesUp += size;
      st.msgsUp++;
      this.inFlight += size;
      // The batch's first entry is booked with a placeholder time, set to the batch's
      // delivery time (its last message's) once the batch is complete.
      lastAt = (down as Downlink).bookBatched(peer, item, size, t + this.latency, count === 0);
      count++;
    }
    if (count > 0) {
      this.lastDeliverAt = lastAt;
      peer.pendingIn += count;
      (down as Downlink).seal(count, lastAt);
    }
    if (this.drainArmed && this.qBytes + this.txBytes < this.net.cfg.lowWaterBytes) {
      this.drainArmed = false;
      this.emit(EV_DRAIN, null);
    }
    return t;
  }

  /** Offer the uplink our next message if we may send. */
  kick(): void {
    if (this.state === OPEN && !this.inRing && !this.transmitting && this.sendQ.length > 0 && this.inFlight < this.net.cfg.windowBytes) {
      this.node.uplink.enqueue(this);
    }
  }

  // ---------------------------------------------------------------- internals

  private enqueue(item: Item, size: number): void {
    this.sendQ.push(item, size);
    this.qBytes += size;
    if (this.qBytes + this.txBytes >= this.net.cfg.lowWaterBytes) this.drainArmed = true;
    this.kick();
  }

  /** The downlink delivers `count` of our entries (deliveredItems/deliveredSizes), in order. */
  deliverBatch(count: number, bytes: number): void {
    const sender = this.peer as LinkEnd;
    sender.inFlight -= bytes;
    this.pendingIn -= count;
    // In order, and nothing after a close.
    for (let i = 0; i < count; i++) {
      if (this.state !== CLOSED) this.deliverOne(deliveredItems[i] as Item, sender, deliveredSizes[i]);
    }
    if (this.pendingIn === 0 && this.closeAfterData !== null) this.remoteClosed(this.closeAfterData);
    sender.kick(); // window room may have opened
  }

  /** The peer's close reached us; data still in our downlink goes first (a close never overtakes it). */
  private closeArrived(reason: string): void {
    if (this.pendingIn > 0) this.closeAfterData = reason;
    else this.remoteClosed(reason);
  }

  private deliverOne(item: Item, sender: LinkEnd, bytes: number): void {
    const st = this.node.stats;
    const type = (item as PeerMessage).type;
    st.bytesDown += bytes;
    st.msgsDown++;
    if (type === 'piece') st.pieceBytesDown += (item as { block: Uint8Array }).block.length;
    const tr = this.net.trace;
    if (this.net.cfg.traceMessages && tr !== null && tr.enabled) {
      tr.emit(this.net.kernel.now, this.node.id, 'msg', { from: sender.node.id, type: type ?? 'handshake', bytes });
    }
    if (type === undefined) this.emit(EV_HANDSHAKE, item);
    else this.emit(EV_MESSAGE, item);
  }

  private shutdown(tellPeer: string | null): void {
    this.state = CLOSED;
    this.sendQ.clear();
    this.qBytes = 0;
    this.held = null;
    this.heldBytes = 0;
    this.drainArmed = false;
    this.connectTimer?.cancel();
    this.connectTimer = null;
    this.node.ends.delete(this);
    const peer = this.peer;
    if (tellPeer !== null && peer !== null && peer.ctx.alive) {
      const k = this.net.kernel;
      const at = Math.max(k.now + this.latency, this.lastDeliverAt);
      k.schedule(at, () => peer.closeArrived(tellPeer), 0, peer.ctx);
    }
  }

  private emit(kind: number, payload: unknown): void {
    if (this.finished) return;
    if (kind === EV_CLOSE) this.finished = true;
    if (this.handlers !== null && this.pending === null) this.dispatch(kind, payload);
    else (this.pending ??= []).push(kind, payload);
  }

  private deliverFinal(info: CloseInfo): void {
    if (this.handlers !== null && this.pending === null) this.dispatch(EV_CLOSE, info);
    else (this.pending ??= []).push(EV_CLOSE, info);
  }

  /** Replays events queued before attach(); events emitted meanwhile join the same queue. */
  private replay(): void {
    const p = this.pending;
    if (p === null) return;
    for (let i = 0; i < p.length; i += 2) this.dispatch(p[i] as number, p[i + 1]);
    this.pending = null;
  }

  private dispatch(kind: number, payload: unknown): void {
    const h = this.handlers as PeerLinkEvents;
    switch (kind) {
      case EV_HANDSHAKE: h.onHandshake(payload as Handshake); break;
      case EV_MESSAGE: h.onMessage(payload as PeerMessage); break;
      case EV_DRAIN: h.onDrain(); break;
      case EV_CLOSE: h.onClose(payload as CloseInfo); break;
    }
  }

  private trace(event: string, reason: string, local: boolean): void {
    const tr = this.net.trace;
    if (tr !== null && tr.enabled) {
      tr.emit(this.net.kernel.now, this.node.id, event, { remote: `${this.remote.host}:${this.remote.port}`, reason, local });
    }
  }
}
