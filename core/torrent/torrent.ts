import { TokenBucket } from '../util/token-bucket.js';
import type { Host, LogLevel } from '../seam/host.js';
import type { Address, CloseInfo, PeerLink } from '../seam/net.js';
import type { PieceStore } from '../seam/storage.js';
import type { Millis, Random, TimerHandle } from '../seam/time.js';
import type { TorrentInfo } from '../metainfo/types.js';
import type { PiecePicker } from '../plugin-api/picker.js';
import type { Choker } from '../plugin-api/choker.js';
import type { PeerSource, PeerSourcePlugin, PluginOptions } from '../plugin-api/index.js';
import { RESERVED, type Handshake, type PeerMessage } from '../wire/types.js';
import { validateIncoming, type ValidateContext } from '../wire/validate.js';
import { bytesEqual, toHex } from '../util/bytes.js';
import { PeerConn, type PeerOwner } from '../peer/peer-conn.js';
import { RateMeter } from '../peer/rate.js';
import { PieceState } from './piece-state.js';
import { PeerPool } from './peer-pool.js';
import { defaultEngineConfig, type EngineConfig } from './config.js';
import { fillRequests, onBlock, onReject, releaseRequests } from './downloading.js';
import { dropIncoming, onCancel, onRequest, pumpUploads } from './uploading.js';
import { maybeQuickUnchoke, rechoke } from './choking.js';
import { Bitfield } from '../wire/bitfield.js';
import { MetadataServer } from '../metadata/server.js';
import { bothExtended, extHandshakeMessage, readExtended, sendMetadataMessage } from './extensions.js';
import { PexDigest, PexState, pexEntryFor } from '../pex/state.js';
import { UT_PEX, type PexPeer } from '../pex/codec.js';
import { startPeerSources, stopPeerSources } from './sources.js';
import { BtLabError } from '../util/errors.js';

export type TorrentStatus = 'idle' | 'checking' | 'downloading' | 'seeding' | 'stopped' | 'error';

export interface TorrentEvents {
  /** Storage is open and checked: `have` pieces verified on disk (fast resume). */
  checked?(have: number, of: number, haveBytes: number): void;
  /** Every wanted piece is verified (fires once; not when complete at start). */
  complete?(): void;
  pieceVerified?(index: number): void;
  peerBanned?(addr: Address, reason: string): void;
  /** A fatal error (storage could not open); the torrent is stopped. */
  error?(err: Error): void;
}

export interface SourceSpec {
  plugin: PeerSourcePlugin;
  options?: PluginOptions;
}

export interface TorrentParams {
  host: Host;
  info: TorrentInfo;
  peerId: Uint8Array;
  /** Our listen port (trackers announce it). */
  port: number;
  picker: PiecePicker;
  choker: Choker;
  sources?: SourceSpec[];
  /**
   * Sources someone else started and will stop (a magnet download keeps its phase-1 sources):
   * the torrent only asks them for more peers when it is short (wantMore), never starts,
   * completes or stops them.
   */
  borrowedSources?: readonly PeerSource[];
  trackers?: string[][];
  config?: Partial<EngineConfig>;
  events?: TorrentEvents;
  /** Addresses that are ourselves (never dial). */
  selfAddresses?: string[];
  /** Peers to dial at start (--peer, magnet x.pe). */
  initialPeers?: Address[];
  /** Our DHT's UDP port: sets the DHT reserved bit and sends PORT (BEP5-PORT-1/2). */
  dhtPort?: number;
  /** A peer told us its DHT port (BEP5-PORT-3): the host pings/adds it. */
  onDhtNode?: (addr: Address) => void;
}

export interface TorrentStats {
  status: TorrentStatus;
  pieces: number;
  havePieces: number;
  totalBytes: number;
  haveBytes: number;
  downloaded: number;
  uploaded: number;
  downloadRate: number;
  uploadRate: number;
  peers: number;
  seeds: number;
  unchoked: number;
  knownPeers: number;
  banned: number;
  wasted: number;
  hashFailures: number;
  /** Seconds to completion at the current rate, or null. */
  eta: number | null;
}

/**
 * One torrent's engine: peers, the piece state, requests, uploads, choking rounds, peer
 * sources. Pure: every effect goes through the Host handed in, so the same object runs on real
 * sockets and in the simulator. Strategy is delegated to the picker, choker and source plugins.
 * The work is split by concern into siblings: downloading.ts, uploading.ts, choking.ts,
 * peer-pool.ts, piece-state.ts.
 */
export class Torrent implements PeerOwner {
  readonly host: Host;
  readonly info: TorrentInfo;
  readonly infoHashHex: string;
  readonly config: EngineConfig;
  readonly picker: PiecePicker;
  readonly choker: Choker;
  readonly rng: Random;
  readonly chokerRng: Random;
  readonly peerId: Uint8Array;
  readonly peers: PeerConn[] = [];
  pieces: PieceState;
  store?: PieceStore;
  status: TorrentStatus = 'idle';
  chokeRound = 0;
  quickUnchokeSlots = 4;
  wastedBytes = 0;
  hashFailures = 0;
  readonly suspectPieces = new Set<number>();
  readonly downMeter: RateMeter;
  readonly upMeter: RateMeter;
  private readonly pool: PeerPool;
  /** New outgoing connection attempts (EngineConfig.maxDialsPerSecond). */
  private readonly dialBudget: TokenBucket;
  private readonly events: TorrentEvents;
  private readonly sources: PeerSource[] = [];
  /** Block writes storage has not confirmed yet, per piece (a typed array: set/delete on a Map per block was measurable). Sized when storage opens. */
  private writesInFlight: Uint32Array = new Uint32Array(0);
  /** Milliseconds each remote peer (by address) spent unchoked by us, over all its connections. */
  private readonly unchokedMs = new Map<string, number>();
  private connecting = 0;
  private tickTimer?: TimerHandle;
  private chokeTimer?: TimerHandle;
  private completedFired = false;
  private readonly params: TorrentParams;
  private readonly peerIdHex: string;
  /** Serves our verified info dict to magnet downloaders (BEP9-MSG-5). */
  private readonly metadata: MetadataServer;

  constructor(params: TorrentParams) {
    this.params = params;
    this.host = params.host;
    this.info = params.info;
    this.infoHashHex = toHex(params.info.infoHash);
    this.config = { ...defaultEngineConfig, ...params.config };
    this.picker = params.picker;
    this.choker = params.choker;
    this.rng = params.host.random.fork(`torrent:${this.infoHashHex}`);
    this.chokerRng = this.rng.fork('choker');
    this.peerId = params.peerId;
    this.peerIdHex = toHex(params.peerId);
    this.events = params.events ?? {};
    this.pieces = new PieceState(params.info, null);
    const now = this.now();
    this.downMeter = new RateMeter(now);
    this.upMeter = new RateMeter(now);
    this.pool = new PeerPool(this.config.retryBaseMs, new Set(params.selfAddresses ?? []), this.config.maxKnownPeers);
    this.dialBudget = new TokenBucket(this.config.maxDialsPerSecond, this.config.maxDialsPerSecond, now);
    this.metadata = new MetadataServer(params.info.infoHash, params.host.clock);
    this.metadata.setMetadata(params.info.rawInfo);
  }

  now(): Millis { return this.host.clock.now(); }

  /** Length of piece i (the last one may be short, BEP3-META-4). */
  readonly pieceLengthOf = (i: number): number =>
    i === this.info.pieceCount - 1 ? this.info.totalLength - this.info.pieceLength * (this.info.pieceCount - 1) : this.info.pieceLength;

  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    this.host.log.log(level, msg, { torrent: this.infoHashHex.slice(0, 8), ...fields });
  }

  /** Open storage (fast resume check), then start sources and timers. */
  start(): void {
    if (this.status !== 'idle') return;
    this.status = 'checking';
    this.host.storage.open(this.info, (err, opened) => {
      if (this.status === 'stopped') { opened?.store.close(() => {}); return; }
      if (err || !opened) {
        this.status = 'error';
        this.events.error?.(err ?? new Error('storage open failed'));
        return;
      }
      this.store = opened.store;
      this.pieces = new PieceState(this.info, opened.have);
      this.writesInFlight = new Uint32Array(this.pieces.pieceCount);
      this.completedFired = this.pieces.complete;
      this.status = this.pieces.complete ? 'seeding' : 'downloading';
      this.log('info', 'storage opened', { have: this.pieces.haveCount, of: this.pieces.pieceCount });
      this.events.checked?.(this.pieces.haveCount, this.pieces.pieceCount, this.pieces.haveBytes);
      for (const p of this.peers) if (p.ready) this.sendInitial(p);
      this.startSources();
      this.addPeers(this.params.initialPeers ?? [], 'initial');
      this.scheduleTick();
      this.scheduleRechoke();
    });
  }

  private startSources(): void {
    this.sources.push(...startPeerSources(this.params.sources, {
      host: this.host,
      infoHash: this.info.infoHash,
      peerId: this.peerId,
      port: this.params.port,
      trackers: this.params.trackers ?? [],
      private: this.info.private,
      stats: () => ({ uploaded: this.upMeter.total, downloaded: this.downMeter.total, left: this.info.totalLength - this.pieces.haveBytes }),
      addPeers: (addrs, source) => this.addPeers(addrs, source),
      peersWanted: () => Math.max(0, this.config.maxPeers - this.peers.length),
    }));
  }

  /** Stop: tell sources (trackers send `stopped`), close peers and storage, then `done`. */
  stop(done: () => void = () => {}): void {
    if (this.status === 'stopped') { done(); return; }
    this.status = 'stopped';
    this.tickTimer?.cancel();
    this.chokeTimer?.cancel();
    for (const p of [...this.peers]) p.close('shutting down');
    let pending = 2;
    const one = () => { if (--pending === 0) done(); };
    stopPeerSources(this.sources, one);
    const store = this.store;
    if (store) store.close(() => one()); else one();
  }

  addPeers(addrs: Address[], source: string): void {
    const n = this.pool.add(addrs, source, this.now());
    if (n > 0) this.connectMore();
  }

  private connectMore(): void {
    if (this.status !== 'downloading' && this.status !== 'seeding') return;
    const now = this.now();
    while (this.connecting < this.config.maxConnecting && this.peers.length < this.config.maxPeers) {
      // Out of dial budget: the next tick (or any later connectMore) tries again.
      if (!this.dialBudget.ready(now)) break;
      const addr = this.pool.next(now);
      if (!addr) break;
      this.dialBudget.take(now);
      const link = this.host.peers.connect(addr);
      const p = new PeerConn(link, this, this.pieces.pieceCount, true);
      this.connecting++;
      this.peers.push(p);
      p.attach();
      link.sendHandshake(this.ourHandshake());
    }
  }

  /** An incoming link whose handshake named our info hash (the session routed it here). */
  acceptIncoming(link: PeerLink, h: Handshake): void {
    const idHex = toHex(h.peerId);
    if (this.status === 'stopped' || this.status === 'idle' || this.status === 'error') { link.close('torrent not active'); return; }
    if (this.peers.length >= this.config.maxPeers && !this.makeRoom()) { link.close('too many peers'); return; }
    if (this.pool.isBanned(link.remote, idHex)) { link.close('banned'); return; }
    const p = new PeerConn(link, this, this.pieces.pieceCount, false);
    this.peers.push(p);
    p.adoptHandshake(h);
    p.attach();
    this.pool.markConnected(link.remote);
    link.sendHandshake(this.ourHandshake());
    const refuse = this.checkHandshake(p, h);
    if (refuse) { p.close(refuse); return; }
    this.onPeerReady(p);
  }

  /**
   * At the connection limit, drop a connection that is useless both ways (neither side
   * interested — e.g. two seeds, or a peer with nothing we lack that wants nothing of ours),
   * so a newcomer that may need us is not turned away. False when every connection is useful.
   */
  private makeRoom(): boolean {
    // Only connections that had time to show interest (bitfield, haves, interested) are judged:
    // a link a few hundred ms old has simply not said anything yet.
    const now = this.now();
    // WHY remembered: a full peer is asked for room by every newcomer, most often in a swarm's
    // first seconds, when no connection is old enough yet; until the oldest one is, the answer
    // cannot change (connections added later are younger still).
    if (now < this.noneOldEnoughUntil) return false;
    const minAge = this.config.makeRoomMinAgeMs;
    let firstOldAt = Infinity;
    for (const q of this.peers) {
      const oldAt = q.connectedAt + minAge;
      if (oldAt > now) { if (oldAt < firstOldAt) firstOldAt = oldAt; continue; }
      if (q.ready && !q.closing && !q.peerInterested && !q.amInterested && q.outstanding.size === 0 && q.incoming.length === 0) {
        q.close('making room for a new peer (connection useful to neither side)');
        return true;
      }
      firstOldAt = -Infinity; // an old connection that is still useful: ask again next time
    }
    this.noneOldEnoughUntil = firstOldAt;
    return false;
  }

  /** makeRoom: no connection is old enough to be judged before this time. */
  private noneOldEnoughUntil = -Infinity;

  private handshakeCache?: Handshake;
  /** Our BEP 10 handshake message, built on first use (onPeerReady). */
  private extHandshake?: PeerMessage;
  /** BEP 11: the PEX messages this torrent sends, shared by all its remotes. */
  private readonly pexDigest = new PexDigest();
  /** Our handshake (one object for every connection: messages are never mutated once sent). */
  ourHandshake(): Handshake {
    if (this.handshakeCache) return this.handshakeCache;
    const reserved = new Uint8Array(8);
    reserved[RESERVED.fast.byte] |= RESERVED.fast.mask;
    reserved[RESERVED.extension.byte] |= RESERVED.extension.mask;
    if (this.params.dhtPort) reserved[RESERVED.dht.byte] |= RESERVED.dht.mask;
    return (this.handshakeCache = { reserved, infoHash: this.info.infoHash, peerId: this.peerId });
  }

  // --- PeerOwner ---

  checkHandshake(p: PeerConn, h: Handshake): string | null {
    if (!bytesEqual(h.infoHash, this.info.infoHash)) return 'handshake for another info hash (BEP3-HS-3)';
    const idHex = p.idHex || toHex(h.peerId);
    if (idHex === this.peerIdHex) {
      this.pool.selfConnection(p, this.params.port); // a PEX list named us: not again
      return 'connected to ourselves';
    }
    if (this.pool.isBanned(p.address, idHex)) return 'banned peer';
    const dup = this.peers.find((q) => q !== p && q.ready && !q.closing && q.idHex === idHex);
    if (dup) {
      // Both ends dialled each other at once. Each must keep the SAME link, or both die: keep
      // the one opened by the peer with the smaller peer id (both sides can compute that).
      const keepNew = dup.outgoing !== p.outgoing && (p.outgoing ? this.peerIdHex < idHex : idHex < this.peerIdHex);
      if (!keepNew) return 'duplicate connection to the same peer id';
      dup.close('duplicate connection to the same peer id (keeping the one the lower peer id opened)');
    }
    return null;
  }

  onPeerReady(p: PeerConn): void {
    if (p.outgoing) this.connecting--;
    p.ready = true;
    const r = p.remoteHandshake!.reserved;
    p.fast = (r[RESERVED.fast.byte] & RESERVED.fast.mask) !== 0;
    p.extended = bothExtended(p);
    p.link.setLimits?.({ pieceCount: this.pieces.pieceCount });
    if (p.extended) {
      // The same for every peer (messages are never mutated once sent): encoded once.
      p.send(this.extHandshake ??= extHandshakeMessage({ port: this.params.port, metadataSize: this.metadata.metadataSize, reqq: this.config.maxPipeline, private: this.info.private }));
      if (!this.info.private) p.pex = new PexState(p.address);
    }
    if (this.params.dhtPort && (r[RESERVED.dht.byte] & RESERVED.dht.mask)) p.send({ type: 'port', port: this.params.dhtPort });
    if (this.store) this.sendInitial(p);
    this.connectMore();
  }

  /** First message after the handshake: bitfield, or have-all/have-none with BEP 6 (BEP3-MSG-6). */
  private sendInitial(p: PeerConn): void {
    const haveCount = this.pieces.haveCount;
    if (p.fast && haveCount === this.pieces.pieceCount) p.send({ type: 'have_all' });
    else if (p.fast && haveCount === 0) p.send({ type: 'have_none' });
    else if (haveCount > 0) {
      const bf = new Bitfield(this.pieces.pieceCount);
      const have = this.pieces.haveArray();
      for (let i = 0; i < have.length; i++) if (have[i]) bf.set(i);
      p.send({ type: 'bitfield', bits: bf.toBytes() });
    }
  }

  onPeerMessage(p: PeerConn, m: PeerMessage): void {
    if (!p.ready) { p.close('message before handshake'); return; }
    // One context object per connection, refreshed in place: this runs for every message.
    const ctx = (p.validateCtx ??= { pieceCount: this.pieces.pieceCount, pieceLength: this.pieceLengthOf, fast: false, seenOtherMessage: false, extension: false }) as ValidateContext;
    ctx.fast = p.fast;
    // A late bitfield is tolerated (aria2 1.36 sends one mid-connection instead of haves):
    // its size and spare bits are still checked, and it is merged like a batch of haves.
    ctx.seenOtherMessage = m.type === 'bitfield' ? false : p.seenMessage;
    ctx.extension = p.extended;
    const bad = validateIncoming(m, ctx);
    if (bad) { p.close(bad.message); return; }
    switch (m.type) {
      case 'keepalive': return;
      case 'choke':
        p.peerChoking = true;
        // BEP3-STATE-4: a choke drops pending requests; with BEP 6 they stay until rejected.
        if (!p.fast) releaseRequests(this, p, false);
        return;
      case 'unchoke':
        p.peerChoking = false;
        fillRequests(this, p);
        return;
      case 'interested':
        p.peerInterested = true;
        if (p.amChoking) maybeQuickUnchoke(this);
        return;
      case 'not_interested':
        p.peerInterested = false;
        return;
      case 'have': this.peerHas(p, m.index); break;
      case 'bitfield': {
        // Size and spare bits were checked by validateIncoming (BEP3-MSG-7).
        for (const i of Bitfield.fromBytes(m.bits, this.pieces.pieceCount)) this.peerHas(p, i);
        break;
      }
      case 'have_all': for (let i = 0; i < this.pieces.pieceCount; i++) this.peerHas(p, i); break;
      case 'have_none': break;
      case 'request': onRequest(this, p, m.index, m.begin, m.length); return;
      case 'cancel': onCancel(p, m.index, m.begin, m.length); return;
      case 'piece':
        onBlock(this, p, m.index, m.begin, m.block);
        fillRequests(this, p);
        return;
      case 'reject':
        onReject(this, p, m.index, m.begin);
        fillRequests(this, p);
        return;
      case 'allowed_fast':
        p.addAllowedFast(m.index);
        if (p.peerChoking) { this.updateInterest(p); fillRequests(this, p); }
        return;
      case 'extended': this.onExtended(p, m.id, m.payload); return;
      case 'port': this.params.onDhtNode?.({ host: p.address.host, port: m.port }); return;
      case 'suggest': case 'unknown':
        return; // BEP 3: ignore what we do not use
    }
    // have / bitfield / have_all: interest may change (BEP3-STATE-3)
    this.updateInterest(p);
    if (this.pieces.complete && p.isSeed) { p.close('both seeds'); return; }
    fillRequests(this, p);
  }

  private onExtended(p: PeerConn, id: number, payload: Uint8Array): void {
    let ev;
    try { ev = readExtended(p, id, payload); } catch (e) {
      if (e instanceof BtLabError) { p.close(e.message); return; }
      throw e;
    }
    if (ev?.kind === 'ut_metadata') {
      const reply = this.metadata.handle(p.key, ev.msg);
      if (reply && reply.type !== 'unknown') sendMetadataMessage(p, reply);
    } else if (ev?.kind === 'ut_pex' && p.pex) {
      // BEP 11: peers our peers are connected to; a flood (more than one message a minute) is ignored.
      const r = p.pex.receive(this.now(), ev.msg);
      if (!r.flood && r.dropped.length) this.pool.dropped(r.dropped);
      if (!r.flood && r.added.length) this.addPeers(r.added.map((x) => x.addr), 'pex');
    }
  }

  private peerHas(p: PeerConn, i: number): void {
    if (!p.setHas(i)) return;
    p.hasCount++;
    this.pieces.addAvailability(i, 1);
    if (!this.pieces.have(i) && this.pieces.wanted(i)) p.interesting++;
  }

  /** BEP3-STATE-3: keep `interested` current, and say `not interested` when nothing is wanted, even while choked. */
  updateInterest(p: PeerConn): void {
    const want = p.interesting > 0;
    if (want && !p.amInterested) { p.amInterested = true; p.send({ type: 'interested' }); }
    else if (!want && p.amInterested) {
      p.amInterested = false;
      p.send({ type: 'not_interested' });
      releaseRequests(this, p, true);
    }
  }

  onPeerDrain(p: PeerConn): void { pumpUploads(this, p); }

  /** Close an unchoke interval of `p` (on choke or disconnect). */
  noteChoked(p: PeerConn, now: Millis): void {
    if (Number.isNaN(p.unchokedSince)) return;
    this.unchokedMs.set(p.key, (this.unchokedMs.get(p.key) ?? 0) + (now - p.unchokedSince));
    p.unchokedSince = NaN;
  }

  /** Unchoke time per remote peer so far, ms (the choker's fairness, for reports). */
  unchokeTimes(): Record<string, number> {
    const now = this.now();
    const out: Record<string, number> = {};
    for (const [k, v] of this.unchokedMs) out[k] = v;
    for (const p of this.peers) if (!Number.isNaN(p.unchokedSince)) out[p.key] = (out[p.key] ?? 0) + (now - p.unchokedSince);
    return out;
  }

  onPeerClosed(p: PeerConn, info: CloseInfo): void {
    const i = this.peers.indexOf(p);
    if (i >= 0) this.peers.splice(i, 1);
    this.noteChoked(p, this.now());
    if (p.outgoing && !p.ready) this.connecting--;
    if (p.hasCount > 0) for (let k = 0; k < p.pieceCount; k++) if (p.hasPiece(k)) this.pieces.addAvailability(k, -1);
    const hadRequests = p.outstanding.size > 0;
    releaseRequests(this, p, false);
    dropIncoming(p);
    this.pool.disconnected(p.address, !p.ready, this.now(), p.outgoing && this.status !== 'stopped');
    if (info.reason) this.log('debug', 'peer closed', { peer: p.key, reason: info.reason, local: info.local });
    if (this.status === 'stopped') return;
    if (!p.amChoking && p.peerInterested) rechoke(this, false);
    if (hadRequests) for (const q of this.peers) fillRequests(this, q);
    this.connectMore();
  }

  // --- storage pipeline ---

  writeBlock(index: number, begin: number, data: Uint8Array): void {
    const store = this.store!;
    const writes = this.writesInFlight;
    writes[index]++;
    store.write(index, begin, data, (err) => {
      const left = writes[index] > 0 ? --writes[index] : 0;
      if (this.status === 'stopped') return;
      if (err) { this.log('error', 'write failed', { piece: index, error: err.message }); this.pieceFailed(index, false); return; }
      if (left === 0 && this.pieces.isFull(index)) this.verifyPiece(index);
    });
  }

  private verifyPiece(index: number): void {
    const partial = this.pieces.partial(index);
    if (!partial || partial.verifying) return;
    partial.verifying = true;
    this.store!.verify(index, (err, ok) => {
      if (this.status === 'stopped') return;
      if (err || !ok) { this.pieceFailed(index, true); return; }
      this.pieceVerified(index);
    });
  }

  private pieceVerified(index: number): void {
    this.pieces.verified(index);
    // Storage released this piece's buffer: peers held back by disk backpressure may go on.
    if (this.store?.bufferedBytes) for (const p of this.peers) if (p.outstanding.size === 0) fillRequests(this, p);
    this.suspectPieces.delete(index);
    this.picker.pieceVerified?.(index);
    // One message object for every peer: messages are never mutated once sent, and this loop
    // runs for every piece × every connection (the largest message count in a swarm).
    const have: PeerMessage = { type: 'have', index };
    for (const p of this.peers) {
      if (!p.ready) continue;
      if (p.hasPiece(index)) { p.interesting--; this.updateInterest(p); }
      else p.send(have);
    }
    this.events.pieceVerified?.(index);
    if (this.pieces.complete && !this.completedFired) {
      this.completedFired = true;
      this.status = 'seeding';
      this.log('info', 'download complete');
      for (const s of this.sources) s.completed();
      for (const p of [...this.peers]) if (p.isSeed) p.close('both seeds');
      this.events.complete?.();
    }
  }

  /** Hash failure: blame the senders. A sole sender is banned; mixed senders get strikes. */
  private pieceFailed(index: number, hashFail: boolean): void {
    const from = this.pieces.failed(index);
    if (!hashFail) return;
    this.hashFailures++;
    const senders = new Set(from.filter((x): x is string => x !== undefined));
    this.log('warn', 'piece failed its hash check', { piece: index, senders: [...senders] });
    for (const key of senders) {
      const p = this.peers.find((q) => q.key === key);
      if (senders.size === 1) { this.banPeer(key, p, `sent piece ${index} that failed its hash check`); continue; }
      if (p && ++p.hashFailStrikes >= this.config.maxHashFailStrikes) this.banPeer(key, p, `took part in ${p.hashFailStrikes} pieces that failed their hash check`);
    }
    // Re-download it from one peer only, so the next failure names the culprit.
    this.suspectPieces.add(index);
    for (const p of this.peers) fillRequests(this, p);
  }

  private banPeer(key: string, p: PeerConn | undefined, reason: string): void {
    const [host, port] = [key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1))];
    const addr = { host, port };
    if (this.pool.isBanned(addr)) { p?.close('banned'); return; }
    this.pool.ban(addr, p?.remoteHandshake ? toHex(p.remoteHandshake.peerId) : undefined);
    this.log('warn', 'peer banned', { peer: key, reason });
    this.events.peerBanned?.(addr, reason);
    p?.close(`banned: ${reason}`);
  }

  // --- timers ---

  private scheduleTick(): void {
    this.tickTimer = this.host.timers.after(this.config.tickMs, () => {
      if (this.status === 'stopped') return;
      this.tick();
      this.scheduleTick();
    });
  }

  private scheduleRechoke(): void {
    rechoke(this, true);
    this.chokeTimer = this.host.timers.after(this.choker.intervalMs, () => {
      if (this.status === 'stopped') return;
      this.scheduleRechoke();
    });
  }

  /** Engine ticks so far (bounds how long an empty pick is trusted, downloading.ts). */
  ticks = 0;

  private tick(): void {
    this.ticks++;
    const now = this.now();
    const c = this.config;
    for (const p of [...this.peers]) {
      if (p.closed) continue;
      if (!p.ready) {
        if (now - p.connectedAt > c.handshakeTimeoutMs) p.close('handshake timeout');
        continue;
      }
      if (now - p.lastReceivedAt > c.idleTimeoutMs) { p.close('idle timeout'); continue; }
      if (p.outstanding.size > 0 && now - p.lastBlockAt > c.requestTimeoutMs) {
        // Snubbed: give its requests to others (libtorrent: request timeout + snub).
        p.snubbed = true;
        p.lastBlockAt = now;
        releaseRequests(this, p, true);
      }
      if (now - p.lastSentAt > c.keepAliveMs) p.send({ type: 'keepalive' });
    }
    for (const p of this.peers) fillRequests(this, p);
    this.connectMore();
    this.exchangePeers(now);
    // Short of peers with nobody left to dial: ask the sources for more (BEP3-TRK-8).
    if (this.status === 'downloading' && this.peers.length < c.wantMorePeersBelow && this.pool.pendingCount === 0) {
      for (const s of this.sources) s.wantMore?.();
      for (const s of this.params.borrowedSources ?? []) s.wantMore?.();
    }
  }

  /**
   * BEP 11: each ut_pex peer gets our peer list at most once a minute — first the full list,
   * then the torrent's shared diff (pex/state.ts: PexDigest builds it once per minute).
   */
  private exchangePeers(now: Millis): void {
    if (this.info.private) return;
    let entries: PexPeer[] | undefined;
    const current = (): PexPeer[] => entries ??= this.pexEntries();
    const digest = this.pexDigest;
    digest.refresh(now, current);
    for (const p of this.peers) {
      const id = p.pex && p.ready ? p.ext.remoteId(UT_PEX) : undefined;
      if (!id || now < p.pex!.nextDueAt()) continue;
      const m = p.pex!.poll(now, digest, current);
      if (m) p.send({ type: 'extended', id, payload: m.payload });
    }
  }

  /** What we advertise: our ready connections with a dialable address. */
  private pexEntries(): PexPeer[] {
    const out: PexPeer[] = [];
    for (const q of this.peers) {
      if (!q.ready || q.closing) continue;
      const e = pexEntryFor({ remote: q.address, outgoing: q.outgoing, listenPort: q.listenPort, isSeed: q.isSeed });
      if (e !== null) out.push(e);
    }
    return out;
  }

  stats(): TorrentStats {
    const now = this.now();
    const down = this.downMeter.rate(now);
    const left = this.info.totalLength - this.pieces.haveBytes;
    return {
      status: this.status,
      pieces: this.pieces.pieceCount,
      havePieces: this.pieces.haveCount,
      totalBytes: this.info.totalLength,
      haveBytes: this.pieces.haveBytes,
      downloaded: this.downMeter.total,
      uploaded: this.upMeter.total,
      downloadRate: down,
      uploadRate: this.upMeter.rate(now),
      peers: this.peers.filter((p) => p.ready).length,
      seeds: this.peers.filter((p) => p.ready && p.isSeed).length,
      unchoked: this.peers.filter((p) => !p.amChoking).length,
      knownPeers: this.pool.knownCount,
      banned: this.pool.bannedCount,
      wasted: this.wastedBytes,
      hashFailures: this.hashFailures,
      eta: left === 0 ? 0 : down > 0 ? left / down : null,
    };
  }
}

