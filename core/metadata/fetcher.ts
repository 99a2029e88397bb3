import type { Clock, Millis } from '../seam/time.js';
import { ProtocolError } from '../util/errors.js';
import { MetadataAssembler, MAX_METADATA_SIZE } from './assembler.js';

/**
 * Which metadata piece to ask whom (BEP 9 download side), as a pure object in the quinn style:
 * the engine feeds it peers, data, rejects and the passage of time, and `poll()` returns the
 * requests to send now. No timers of its own: the engine calls `poll()` after every event and
 * at `nextDeadline()`.
 *
 * Policy: ask each missing piece of one peer at a time (at most `maxPerPeer` outstanding per
 * peer, least-loaded peer first); a reject or a timeout benches that peer for a while and the
 * piece goes to someone else; a hash mismatch blames the contributors (a sole contributor is
 * banned at once, others after `maxStrikes`). Peers that advertise a different metadata_size
 * than the majority are not asked — a peer lying about the size cannot stall the download.
 */
export interface MetadataFetcherOptions {
  requestTimeoutMs?: Millis;
  maxPerPeer?: number;
  /** How long a peer that rejected (or timed out) is not asked again. */
  backoffMs?: Millis;
  maxStrikes?: number;
  maxMetadataSize?: number;
}

export interface MetadataRequest { peer: string; piece: number }

export type FetchEvent =
  | { status: 'progress' }
  | { status: 'ignored' }
  | { status: 'complete'; info: Uint8Array }
  /** Hash check failed and everything was discarded; `banned` peers should be disconnected. */
  | { status: 'mismatch'; banned: string[] }
  /** The peer sent something malformed (wrong size, index…); the caller may drop it. */
  | { status: 'bad'; error: ProtocolError };

interface PeerState {
  size: number;
  outstanding: number;
  benchedUntil: Millis;
  strikes: number;
  banned: boolean;
  order: number;
}

interface Outstanding { peer: string; piece: number; deadline: Millis }

export class MetadataFetcher {
  private readonly timeoutMs: Millis;
  private readonly maxPerPeer: number;
  private readonly backoffMs: Millis;
  private readonly maxStrikes: number;
  private readonly maxSize: number;
  private peers = new Map<string, PeerState>();
  private outstanding: Outstanding[] = [];
  private assembler?: MetadataAssembler;
  private order = 0;
  /** Pieces each peer already failed to deliver, so the retry goes to someone else. */
  private failedWith = new Map<number, Set<string>>();
  info?: Uint8Array;

  constructor(readonly infoHash: Uint8Array, private readonly clock: Clock, opts: MetadataFetcherOptions = {}) {
    this.timeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.maxPerPeer = opts.maxPerPeer ?? 2;
    this.backoffMs = opts.backoffMs ?? 30_000;
    this.maxStrikes = opts.maxStrikes ?? 2;
    this.maxSize = opts.maxMetadataSize ?? MAX_METADATA_SIZE;
  }

  get done(): boolean { return this.info !== undefined; }

  /** A peer whose extension handshake offered ut_metadata with `metadata_size` (BEP9-HS-1/2). */
  addPeer(peer: string, metadataSize: number): boolean {
    if (!Number.isSafeInteger(metadataSize) || metadataSize <= 0 || metadataSize > this.maxSize) return false;
    const old = this.peers.get(peer);
    if (old?.banned) return false;
    this.peers.set(peer, { size: metadataSize, outstanding: old?.outstanding ?? 0, benchedUntil: old?.benchedUntil ?? 0, strikes: old?.strikes ?? 0, banned: false, order: old?.order ?? this.order++ });
    return true;
  }

  removePeer(peer: string): void {
    this.outstanding = this.outstanding.filter((o) => o.peer !== peer);
    this.peers.delete(peer);
  }

  /** Expire timed-out requests and hand out new ones. */
  poll(): MetadataRequest[] {
    if (this.done) return [];
    const now = this.clock.now();
    for (const o of this.outstanding.filter((x) => x.deadline <= now)) this.drop(o, true);
    const size = this.chosenSize();
    if (size === undefined) return [];
    if (!this.assembler || this.assembler.size !== size) this.assembler = new MetadataAssembler(this.infoHash, size, this.maxSize);
    const out: MetadataRequest[] = [];
    for (const piece of this.assembler.missing()) {
      if (this.outstanding.some((o) => o.piece === piece)) continue;
      const peer = this.pickPeer(size, piece, now);
      if (!peer) break; // nobody free: later pieces would not find anyone either
      const st = this.peers.get(peer)!;
      st.outstanding++;
      this.outstanding.push({ peer, piece, deadline: now + this.timeoutMs });
      out.push({ peer, piece });
    }
    return out;
  }

  /** When the engine should call poll() again for timeouts (undefined: nothing pending). */
  nextDeadline(): Millis | undefined {
    let d: Millis | undefined;
    for (const o of this.outstanding) if (d === undefined || o.deadline < d) d = o.deadline;
    return d;
  }

  onData(peer: string, piece: number, data: Uint8Array, totalSize: number): FetchEvent {
    if (this.done || !this.assembler) return { status: 'ignored' };
    const o = this.outstanding.find((x) => x.peer === peer && x.piece === piece);
    if (o) this.drop(o, false);
    let r;
    try { r = this.assembler.add(piece, data, peer, totalSize); }
    catch (e) {
      if (e instanceof ProtocolError) { this.strike(peer, 1); return { status: 'bad', error: e }; }
      throw e;
    }
    switch (r.status) {
      case 'stored': return { status: 'progress' };
      case 'duplicate': return { status: 'ignored' };
      case 'complete':
        this.info = r.info;
        this.outstanding = [];
        return { status: 'complete', info: r.info };
      case 'mismatch': {
        // A sole contributor is certainly guilty; with several we cannot tell who lied.
        const banned: string[] = [];
        for (const p of r.contributors) if (this.strike(p, r.contributors.length === 1 ? this.maxStrikes : 1)) banned.push(p);
        this.failedWith.clear();
        return { status: 'mismatch', banned };
      }
    }
  }

  /** BEP9-MSG-2 reject: the peer does not serve (yet, or any more). */
  onReject(peer: string, piece: number): void {
    const o = this.outstanding.find((x) => x.peer === peer && x.piece === piece);
    if (o) this.drop(o, true);
  }

  /** Peers banned for bad metadata (the engine disconnects them). */
  bannedPeers(): string[] { return [...this.peers].filter(([, s]) => s.banned).map(([p]) => p); }

  // -------------------------------------------------------------------------------------------

  private drop(o: Outstanding, failed: boolean): void {
    this.outstanding = this.outstanding.filter((x) => x !== o);
    const st = this.peers.get(o.peer);
    if (!st) return;
    st.outstanding--;
    if (failed) {
      st.benchedUntil = this.clock.now() + this.backoffMs;
      let s = this.failedWith.get(o.piece);
      if (!s) this.failedWith.set(o.piece, (s = new Set()));
      s.add(o.peer);
    }
  }

  /** Returns true when this strike banned the peer. */
  private strike(peer: string, n: number): boolean {
    const st = this.peers.get(peer);
    if (!st || st.banned) return false;
    st.strikes += n;
    if (st.strikes < this.maxStrikes) return false;
    st.banned = true;
    this.outstanding = this.outstanding.filter((o) => o.peer !== peer);
    st.outstanding = 0;
    return true;
  }

  /** The metadata_size most non-banned peers agree on (ties: the smaller). */
  private chosenSize(): number | undefined {
    const votes = new Map<number, number>();
    for (const s of this.peers.values()) if (!s.banned) votes.set(s.size, (votes.get(s.size) ?? 0) + 1);
    let best: number | undefined, bestVotes = 0;
    for (const [size, v] of votes) if (v > bestVotes || (v === bestVotes && size < best!)) { best = size; bestVotes = v; }
    return best;
  }

  private pickPeer(size: number, piece: number, now: Millis): string | undefined {
    const tried = this.failedWith.get(piece);
    let best: [string, PeerState] | undefined;
    let bestTried = true;
    for (const entry of this.peers) {
      const [p, s] = entry;
      if (s.banned || s.size !== size || s.outstanding >= this.maxPerPeer || s.benchedUntil > now) continue;
      const t = tried?.has(p) ?? false;
      // Prefer a peer that has not failed this piece, then the least loaded, then the oldest.
      if (!best || (bestTried && !t) || (bestTried === t && (s.outstanding < best[1].outstanding || (s.outstanding === best[1].outstanding && s.order < best[1].order)))) {
        best = entry; bestTried = t;
      }
    }
    return best?.[0];
  }
}
