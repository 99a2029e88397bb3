import { addressKey, type Address } from '../seam/net.js';
import type { Millis } from '../seam/time.js';
import { addressIdentity, internAddress, type InternedAddress } from '../util/address-intern.js';

/** Give up on an address after this many failed dials (until a tracker names it again). */
const MAX_FAILURES = 5;
/** Slots looked at for an eviction victim before settling for any address not connected. */
const EVICT_WINDOW = 64;

const CONNECTED = 1;
/** In one of the two dial queues. */
const QUEUED = 2;

/**
 * Addresses we know for a torrent: who to dial next, back-off after failures, bans.
 * Pure bookkeeping; the torrent does the dialing.
 *
 * Two queues: addresses never tried come first, retries after them. In a swarm with churn
 * most known addresses are gone (every dial to one costs a connect timeout), so a fresh
 * address from a tracker or PEX must not wait behind a backlog of dead ones. An address a
 * tracker names again is fresh again; one a PEX peer says it dropped is forgotten, unless we
 * are connected to it or learned it elsewhere (BEP 11 `dropped`).
 *
 * Storage: one slot per known address in parallel typed arrays (state, failures, back-off,
 * source) plus the shared interned entry (Address, key, hash), found through an open-addressing
 * table of slot numbers keyed by the entry's hash. WHY: every node of a swarm learns nearly
 * every other node's address; as an object per address (with its boxed back-off time) the
 * pools were the largest per-node cost of big simulations after the connections (helper heap
 * analysis: ≈ 130 → ≈ 66 bytes per address), and a Map from key strings to slots was half of
 * the rest (≈ 35 bytes per address, against 8 for the table).
 *
 * Bounded (`maxKnown`, libtorrent's max_peerlist_size, 3000 by default): in a swarm of 10,000
 * every node would otherwise learn every address through PEX — 10,000 × 10,000 slots. A full
 * pool makes room by forgetting an address it is not connected to, preferring one that failed.
 */
export class PeerPool {
  /** Slot → its interned entry (undefined: free). */
  private entries: (InternedAddress | undefined)[] = [];
  /** Open addressing (linear probing) on entry.hash: slot numbers, -1 = empty; at most half full. */
  private index: Int32Array = new Int32Array(32).fill(-1);
  private known = 0;
  private flags: Uint8Array = new Uint8Array(16);
  private failures: Uint8Array = new Uint8Array(16);
  private notBefore: Float64Array = new Float64Array(16);
  private sourceIdx: Uint8Array = new Uint8Array(16);
  private readonly freeSlots: number[] = [];
  /** Source names seen (few: 'tracker', 'pex', 'dht', …); slots store an index. */
  private readonly sources: string[] = [];
  private readonly banned = new Set<string>();
  private readonly bannedIds = new Set<string>();
  private fresh: InternedAddress[] = [];
  private retry: InternedAddress[] = [];

  /** Where the next eviction scan starts (spreads evictions over the slots, O(1) amortised). */
  private evictCursor = 0;

  constructor(private readonly retryBaseMs: Millis, private readonly self: Set<string>, private readonly maxKnown = 3000) {}

  /** Learn addresses. Returns how many became dialable (new, or named again after failures). */
  add(addrs: Address[], source: string, now: Millis): number {
    let added = 0;
    const src = this.sourceIndex(source);
    const fromPex = source.startsWith('pex');
    for (const a of addrs) {
      if (!a || !(a.port > 0 && a.port < 65536) || !a.host) continue;
      const e = internAddress(a); // shared by every pool (see address-intern.ts)
      const k = e.key;
      if (this.self.has(k) || this.banned.has(k)) continue;
      const s = this.find(e);
      if (s < 0) {
        if (this.known >= this.maxKnown && !this.evictOne()) continue;
        const n = this.newSlot(e);
        this.flags[n] = QUEUED;
        this.failures[n] = 0;
        this.notBefore[n] = now;
        this.sourceIdx[n] = src;
        this.fresh.push(e);
        added++;
      } else if ((this.flags[s] & CONNECTED) === 0 && this.failures[s] > 0 && !fromPex) {
        // A tracker (or the DHT) just vouched for it: it announced recently, so try it again soon.
        this.failures[s] = 0;
        this.notBefore[s] = now;
        this.sourceIdx[s] = src;
        if ((this.flags[s] & QUEUED) === 0) { this.flags[s] |= QUEUED; this.fresh.push(e); added++; }
      }
    }
    return added;
  }

  /** BEP 11 `dropped`: forget PEX-only addresses we are not connected to. */
  dropped(addrs: Address[]): void {
    for (const a of addrs) {
      const s = this.find(addressIdentity(a));
      if (s >= 0 && (this.flags[s] & CONNECTED) === 0 && this.sources[this.sourceIdx[s]].startsWith('pex')) this.forget(s);
    }
  }

  /** The pool is full: forget one address we are not connected to (one that failed, if the window has one). */
  private evictOne(): boolean {
    const n = this.entries.length;
    let victim = -1;
    for (let i = 0; i < n; i++) {
      const s = (this.evictCursor + i) % n;
      if (this.entries[s] === undefined || (this.flags[s] & CONNECTED) !== 0) continue;
      if (this.failures[s] > 0) { victim = s; break; }
      if (victim < 0) victim = s; // the first unconnected one, if no failed one turns up in the window
      else if (i >= EVICT_WINDOW) break;
    }
    if (victim < 0) return false; // connected to every address we know
    this.evictCursor = (victim + 1) % n;
    this.forget(victim);
    return true;
  }

  private forget(s: number): void {
    this.unindex(s); // queue entries are skipped lazily (find() no longer knows them)
    this.entries[s] = undefined;
    this.flags[s] = 0;
    this.freeSlots.push(s);
    this.known--;
  }

  /** Next address to dial now, if any: fresh ones first, then retries whose back-off is over. */
  next(now: Millis): Address | undefined {
    return this.take(this.fresh, now) ?? this.take(this.retry, now);
  }

  private take(queue: InternedAddress[], now: Millis): Address | undefined {
    for (let n = queue.length; n > 0; n--) {
      const e = queue.shift()!;
      const s = this.find(e);
      if (s < 0) continue;
      if ((this.flags[s] & CONNECTED) !== 0 || this.banned.has(e.key)) { this.flags[s] &= ~QUEUED; continue; }
      if (this.notBefore[s] > now) { queue.push(e); continue; }
      this.flags[s] = CONNECTED;
      return this.entries[s]!.addr;
    }
    return undefined;
  }

  /** Mark an address as connected (incoming connections too), so we do not dial it twice. */
  markConnected(addr: Address): void {
    const s = this.find(addressIdentity(addr));
    if (s >= 0) this.flags[s] |= CONNECTED;
  }

  /** A connection ended. `failed` = never got a handshake (refused, timeout). */
  disconnected(addr: Address, failed: boolean, now: Millis, retry = true): void {
    const s = this.find(addressIdentity(addr));
    if (s < 0) return;
    const e = this.entries[s]!;
    this.flags[s] &= ~CONNECTED;
    if (failed && this.failures[s] < 255) this.failures[s]++;
    const f = this.failures[s];
    if (!retry || f > MAX_FAILURES || this.banned.has(e.key) || (this.flags[s] & QUEUED) !== 0) return;
    this.notBefore[s] = now + this.retryBaseMs * 2 ** Math.max(0, f - (failed ? 1 : 0));
    this.flags[s] |= QUEUED;
    this.retry.push(e);
  }

  /**
   * A connection turned out to be to ourselves (our own peer id in its handshake): a PEX list
   * named us and we dialled it. Never dial that address again, as if it had been among the
   * self addresses from the start. Either end may notice first: the dialling end knows the
   * address it dialled; on the accepting end the link comes from our own host, so our address
   * is that host and our listen port.
   */
  selfConnection(c: { readonly outgoing: boolean; readonly address: Address }, listenPort: number): void {
    this.markSelf(c.outgoing ? c.address : { host: c.address.host, port: listenPort });
  }

  /** Never dial `addr` again: it is ourselves. */
  markSelf(addr: Address): void {
    const id = addressIdentity(addr);
    this.self.add(id.key);
    const s = this.find(id);
    if (s >= 0) this.forget(s);
  }

  ban(addr: Address, peerId?: string): void {
    this.banned.add(addressKey(addr));
    if (peerId) this.bannedIds.add(peerId);
  }
  isBanned(addr: Address, peerId?: string): boolean {
    return this.banned.has(addressKey(addr)) || (peerId !== undefined && this.bannedIds.has(peerId));
  }
  /** Every address known and not banned, in slot order (to carry peers from the metadata phase into the torrent). */
  addresses(): Address[] {
    const out: Address[] = [];
    for (const e of this.entries) if (e !== undefined && !this.banned.has(e.key)) out.push(e.addr);
    return out;
  }
  get bannedCount(): number { return this.banned.size; }
  get knownCount(): number { return this.known; }
  /** Addresses waiting to be dialled (fresh or retry). */
  get pendingCount(): number { return this.fresh.length + this.retry.length; }

  private sourceIndex(source: string): number {
    let i = this.sources.indexOf(source);
    if (i < 0) {
      if (this.sources.length === 255) return 0; // absurdly many distinct sources: lump them
      i = this.sources.push(source) - 1;
    }
    return i;
  }

  /** The slot holding the address with this key, or -1. */
  private find(id: { readonly key: string; readonly hash: number }): number {
    const index = this.index;
    const mask = index.length - 1;
    for (let b = id.hash & mask; ; b = (b + 1) & mask) {
      const s = index[b];
      if (s < 0) return -1;
      if (this.entries[s]!.key === id.key) return s;
    }
  }

  private addToIndex(slot: number): void {
    if (this.known * 2 > this.index.length) {
      // Grow (and rehash every slot in use, this one included).
      const index = new Int32Array(this.index.length * 2).fill(-1);
      this.index = index;
      for (let s = 0; s < this.entries.length; s++) if (this.entries[s] !== undefined) this.place(s);
      return;
    }
    this.place(slot);
  }

  private place(slot: number): void {
    const index = this.index;
    const mask = index.length - 1;
    let b = this.entries[slot]!.hash & mask;
    while (index[b] >= 0) b = (b + 1) & mask;
    index[b] = slot;
  }

  /** Take a slot out of the index: backward-shift deletion keeps every probe chain unbroken. */
  private unindex(slot: number): void {
    const index = this.index;
    const mask = index.length - 1;
    let hole = this.entries[slot]!.hash & mask;
    while (index[hole] !== slot) hole = (hole + 1) & mask;
    for (let b = (hole + 1) & mask; index[b] >= 0; b = (b + 1) & mask) {
      const home = this.entries[index[b]]!.hash & mask;
      // Move the entry at b into the hole unless its home lies cyclically in (hole, b].
      const inRange = hole <= b ? home > hole && home <= b : home > hole || home <= b;
      if (!inRange) { index[hole] = index[b]; hole = b; }
    }
    index[hole] = -1;
  }

  private newSlot(e: InternedAddress): number {
    const free = this.freeSlots.pop();
    const s = free ?? this.entries.length;
    if (free === undefined) this.entries.push(e); else this.entries[s] = e;
    this.known++;
    this.addToIndex(s);
    if (s >= this.flags.length) {
      // Doubling, but never past the bound: slot numbers stay below maxKnown (free slots are
      // reused first, and a full pool evicts before it adds). 3000 → 4096 would waste a quarter.
      const cap = Math.max(s + 1, Math.min(this.flags.length * 2, this.maxKnown));
      this.flags = grow(this.flags, cap);
      this.failures = grow(this.failures, cap);
      this.sourceIdx = grow(this.sourceIdx, cap);
      const nb = new Float64Array(cap);
      nb.set(this.notBefore);
      this.notBefore = nb;
    }
    return s;
  }
}

function grow(a: Uint8Array, cap: number): Uint8Array {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}
