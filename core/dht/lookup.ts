import type { Address } from '../seam/net.js';
import { addressKey } from '../seam/net.js';
import { toHex } from '../util/bytes.js';
import type { NodeInfo } from './compact.js';
import type { DhtQuery } from './krpc.js';
import { compareDistance, ID_BITS, commonPrefixBits } from './node-id.js';
import type { QueryOutcome } from './rpc.js';

/**
 * Iterative Kademlia lookup (BEP5-LKP-1) for find_node and get_peers. Keep the candidates
 * sorted by XOR distance to the target; keep up to α queries in flight to the closest
 * candidates not yet asked; a lookup ends when the K closest candidates that did not fail have
 * all answered — i.e. no closer node is left to ask. Bootstrap addresses (ids unknown) are asked
 * first. Everything is driven by query completions; no timers of its own.
 */
export type LookupKind = 'find_node' | 'get_peers';

export interface Responder extends NodeInfo {
  /** get_peers write token (BEP5-Q-4), needed to announce_peer to this node. */
  token?: Uint8Array;
}

export interface LookupResult {
  target: Uint8Array;
  /** The K closest nodes that answered, closest first. */
  closest: Responder[];
  /** Distinct peers found (get_peers). */
  peers: Address[];
  queried: number;
  responded: number;
  failed: number;
}

export interface LookupOptions {
  alpha?: number;
  k?: number;
  /** Hard cap on queries, so hostile replies cannot keep a lookup going for ever. */
  maxQueries?: number;
}

type QueryFn = (to: Address, q: DhtQuery, done: (o: QueryOutcome) => void) => void;

interface Candidate {
  id?: Uint8Array;
  addr: Address;
  key: string;
  state: 'new' | 'pending' | 'ok' | 'failed';
  token?: Uint8Array;
}

export class Lookup {
  private readonly alpha: number;
  private readonly k: number;
  private readonly maxQueries: number;
  private candidates: Candidate[] = []; // with ids, sorted by distance
  private unknownId: Candidate[] = []; // bootstrap contacts
  private seenAddr = new Set<string>();
  private seenId = new Set<string>();
  private peerKeys = new Set<string>();
  private peers: Address[] = [];
  private inflight = 0;
  private queried = 0;
  private responded = 0;
  private failedCount = 0;
  private finished = false;

  constructor(
    readonly kind: LookupKind,
    readonly target: Uint8Array,
    private readonly ownId: Uint8Array,
    private readonly query: QueryFn,
    private readonly onDone: (r: LookupResult) => void,
    private readonly onPeers?: (peers: Address[]) => void,
    opts: LookupOptions = {},
  ) {
    this.alpha = opts.alpha ?? 3;
    this.k = opts.k ?? 8;
    this.maxQueries = opts.maxQueries ?? 256;
  }

  /** Start from known contacts (usually the routing table's closest) and bootstrap addresses. */
  start(seeds: readonly NodeInfo[], bootstrap: readonly Address[] = []): void {
    for (const s of seeds) this.addCandidate(s);
    for (const a of bootstrap) {
      const key = addressKey(a);
      if (this.seenAddr.has(key)) continue;
      this.seenAddr.add(key);
      this.unknownId.push({ addr: a, key, state: 'new' });
    }
    this.pump();
  }

  private addCandidate(n: NodeInfo): void {
    const key = addressKey(n.addr);
    const idHex = toHex(n.id);
    if (this.seenAddr.has(key) || this.seenId.has(idHex)) return;
    if (commonPrefixBits(n.id, this.ownId) === ID_BITS) return; // ourselves
    if (n.addr.port === 0) return;
    this.seenAddr.add(key);
    this.seenId.add(idHex);
    const c: Candidate = { id: n.id, addr: n.addr, key, state: 'new' };
    // Binary insertion keeps the list sorted by distance.
    let lo = 0, hi = this.candidates.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareDistance(this.target, this.candidates[mid].id!, n.id) < 0) lo = mid + 1; else hi = mid;
    }
    this.candidates.splice(lo, 0, c);
    // Bound memory: far candidates that were never asked are dropped.
    const cap = this.k * 16;
    if (this.candidates.length > cap) {
      for (let i = this.candidates.length - 1; i >= cap; i--) if (this.candidates[i].state === 'new') this.candidates.splice(i, 1);
    }
  }

  /** Next candidate to ask: a bootstrap contact, else the closest unasked among the K best. */
  private next(): Candidate | undefined {
    const b = this.unknownId.find((c) => c.state === 'new');
    if (b) return b;
    let live = 0;
    for (const c of this.candidates) {
      if (c.state === 'failed') continue;
      if (c.state === 'new') return c;
      if (++live >= this.k) return undefined; // the K closest live ones are all asked
    }
    return undefined;
  }

  private pump(): void {
    if (this.finished) return;
    while (this.inflight < this.alpha && this.queried < this.maxQueries) {
      const c = this.next();
      if (!c) break;
      this.send(c);
    }
    if (this.inflight === 0) this.finish();
  }

  private send(c: Candidate): void {
    c.state = 'pending';
    this.inflight++;
    this.queried++;
    const q: DhtQuery = this.kind === 'find_node'
      ? { method: 'find_node', id: this.ownId, target: this.target }
      : { method: 'get_peers', id: this.ownId, infoHash: this.target };
    this.query(c.addr, q, (o) => {
      this.inflight--;
      if (this.finished) return;
      if (!o.ok) { c.state = 'failed'; this.failedCount++; this.pump(); return; }
      this.responded++;
      c.state = 'ok';
      if (o.reply.token) c.token = o.reply.token;
      if (!c.id) {
        // A bootstrap contact told us its id: it becomes an ordinary, sorted candidate.
        c.id = o.reply.id;
        const idHex = toHex(c.id);
        this.unknownId = this.unknownId.filter((x) => x !== c);
        if (!this.seenId.has(idHex) && commonPrefixBits(c.id, this.ownId) !== ID_BITS) {
          this.seenId.add(idHex);
          let i = 0;
          while (i < this.candidates.length && compareDistance(this.target, this.candidates[i].id!, c.id) < 0) i++;
          this.candidates.splice(i, 0, c);
        }
      }
      for (const n of o.reply.nodes) this.addCandidate(n);
      if (this.kind === 'get_peers' && o.reply.values.length) {
        const fresh: Address[] = [];
        for (const p of o.reply.values) {
          const key = addressKey(p);
          if (p.port === 0 || this.peerKeys.has(key)) continue;
          this.peerKeys.add(key);
          this.peers.push(p);
          fresh.push(p);
        }
        if (fresh.length && this.onPeers) this.onPeers(fresh);
      }
      this.pump();
    });
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const closest: Responder[] = [];
    for (const c of this.candidates) {
      if (c.state !== 'ok' || !c.id) continue;
      closest.push(c.token ? { id: c.id, addr: c.addr, token: c.token } : { id: c.id, addr: c.addr });
      if (closest.length >= this.k) break;
    }
    this.onDone({ target: this.target, closest, peers: this.peers, queried: this.queried, responded: this.responded, failed: this.failedCount });
  }
}
