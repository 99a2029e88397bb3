import { internAddress } from '../util/address-intern.js';
import type { CloseInfo, PeerLink, PeerLinkEvents, Address } from '../seam/net.js';
import type { Millis } from '../seam/time.js';
import type { Handshake, PeerMessage } from '../wire/types.js';
import { RateMeter } from './rate.js';
import { OutstandingRequests } from './outstanding.js';
import { endsBitfieldWindow } from '../wire/validate.js';
import { DEFAULT_LOCAL_EXTENSIONS, ExtensionRegistry } from '../extension/registry.js';
import { toHex } from '../util/bytes.js';
import type { PexState } from '../pex/state.js';

/** A request the peer sent us and we have not served yet. */
export interface InRequest {
  index: number;
  begin: number;
  length: number;
}

/** Never added to (see PeerConn.addAllowedFast). */
const NO_PIECES: ReadonlySet<number> = new Set<number>();

/**
 * What the peer-wire state machine needs from its torrent. The torrent implements it; the
 * connection never reaches past it (the torrent decides what to request, serve and ban).
 */
export interface PeerOwner {
  now(): Millis;
  onPeerReady(p: PeerConn): void;
  onPeerMessage(p: PeerConn, m: PeerMessage): void;
  onPeerClosed(p: PeerConn, info: CloseInfo): void;
  onPeerDrain(p: PeerConn): void;
  /** Validate the remote handshake of an outgoing connection. Returns a reason to refuse, or null. */
  checkHandshake(p: PeerConn, h: Handshake): string | null;
}

/**
 * One connection's protocol state (BEP3-STATE-*): the four choke/interest flags, what the peer
 * has, requests in both directions, rates. It owns the PeerLink and turns link events into
 * calls on its owner; the torrent holds the policy.
 */
export class PeerConn implements PeerLinkEvents {
  readonly key: string;
  remoteHandshake?: Handshake;
  ready = false;
  closed = false;
  /** We asked the link to close; onClose may follow asynchronously. */
  closing = false;
  /** BEP3-STATE-1: both sides start choked and not interested. */
  amChoking = true;
  amInterested = false;
  peerChoking = true;
  peerInterested = false;
  /** Both sides set the BEP 6 fast bit. */
  fast = false;
  /** Both sides set the BEP 10 extension bit. */
  extended = false;
  /**
   * Pieces the peer has, as a bitfield in wire order (high bit of byte 0 = piece 0): an eighth
   * of a byte per piece — one per connection, hundreds of thousands in a big simulated swarm.
   */
  readonly has: Uint8Array;
  readonly pieceCount: number;
  hasCount = 0;
  /** Got any message after the handshake (bitfield only allowed first, BEP3-MSG-6). */
  seenMessage = false;
  readonly outstanding = new OutstandingRequests();
  readonly incoming: InRequest[] = [];
  /**
   * BEP 6 allowed-fast pieces the peer offered us (addAllowedFast). The shared empty set until
   * the first one: most peers never send any, and an empty Set per connection costs ≈ 120 bytes.
   */
  allowedFast: ReadonlySet<number> = NO_PIECES;
  /** Reads from storage in flight for uploads. */
  readsInFlight = 0;
  readonly down: RateMeter;
  readonly up: RateMeter;
  readonly connectedAt: Millis;
  lastUnchokedAt: Millis = -Infinity;
  /** Since when we have it unchoked (for unchoke-time accounting), or NaN. */
  unchokedSince: Millis = NaN;
  lastReceivedAt: Millis;
  lastSentAt: Millis;
  lastBlockAt: Millis;
  snubbed = false;
  hashFailStrikes = 0;
  /** Pieces it has that we still want (kept current so interest is O(1), BEP3-STATE-3). */
  interesting = 0;
  /** The other side's max outstanding requests (BEP 10 `reqq`), if told. */
  reqq = 250;
  /** BEP 10 ids both ways (BEP10-HS-3). */
  readonly ext = new ExtensionRegistry(DEFAULT_LOCAL_EXTENSIONS);
  /** The peer's listen port from its extension handshake (`p`), for PEX of incoming peers. */
  listenPort?: number;
  /** BEP 11 exchange state, when both sides speak ut_pex. */
  pex?: PexState;
  clientName = '';
  /** Hex of the remote peer id, once the handshake is in. */
  idHex = '';
  /** Cached plugin views (downloading.ts), so the hot path allocates nothing per call. */
  pickerView?: unknown;
  validateCtx?: unknown;
  /** The last pick for this peer came back empty in this state (downloading.ts); null: ask. */
  emptyPick: { version: number; hasCount: number; choking: boolean; fast: number; tick: number } | null = null;

  constructor(
    readonly link: PeerLink,
    readonly owner: PeerOwner,
    pieceCount: number,
    readonly outgoing: boolean,
  ) {
    this.key = internAddress(link.remote).key; // the shared string (one per address, not per connection)
    this.has = new Uint8Array((pieceCount + 7) >> 3);
    this.pieceCount = pieceCount;
    const now = owner.now();
    this.down = new RateMeter(now);
    this.up = new RateMeter(now);
    this.connectedAt = now;
    this.lastReceivedAt = now;
    this.lastSentAt = now;
    this.lastBlockAt = now;
  }

  get address(): Address { return this.link.remote; }
  get isSeed(): boolean { return this.hasCount === this.pieceCount && this.pieceCount > 0; }
  /** BEP 6 allowed_fast: the peer lets us request piece `i` while it chokes us. */
  addAllowedFast(i: number): void {
    if (this.allowedFast === NO_PIECES) this.allowedFast = new Set<number>([i]);
    else (this.allowedFast as Set<number>).add(i);
  }

  hasPiece(i: number): boolean { return (this.has[i >> 3] & (0x80 >> (i & 7))) !== 0; }
  /** Mark piece i as the peer's; false when it already was. */
  setHas(i: number): boolean {
    const m = 0x80 >> (i & 7);
    const b = this.has[i >> 3];
    if ((b & m) !== 0) return false;
    this.has[i >> 3] = b | m;
    return true;
  }

  /**
   * Take the link's events: the connection is its own PeerLinkEvents (no closures per
   * connection). An incoming link was attached by the client that routed it: take it over.
   */
  attach(): void {
    if (this.outgoing) this.link.attach(this);
    else this.link.handOver(this);
  }

  onMessage(m: PeerMessage): void {
    if (this.closed || this.closing) return;
    this.lastReceivedAt = this.owner.now();
    this.owner.onPeerMessage(this, m);
    if (endsBitfieldWindow(m)) this.seenMessage = true;
  }

  onDrain(): void { if (!this.closed) this.owner.onPeerDrain(this); }

  onClose(info: CloseInfo): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.onPeerClosed(this, info);
  }

  /** For an incoming link whose handshake the session already read. */
  adoptHandshake(h: Handshake): void {
    this.remoteHandshake = h;
    this.idHex = toHex(h.peerId);
  }

  onHandshake(h: Handshake): void {
    if (this.closed) return;
    this.adoptHandshake(h);
    const refuse = this.owner.checkHandshake(this, h);
    if (refuse) { this.close(refuse); return; }
    this.owner.onPeerReady(this);
  }

  send(m: PeerMessage): void {
    if (this.closed) return;
    this.lastSentAt = this.owner.now();
    this.link.send(m);
  }

  close(reason: string): void {
    if (this.closed || this.closing) return;
    this.closing = true; // nothing it sends from now on is acted upon
    this.link.close(reason); // onClose follows (local = true)
  }
}
