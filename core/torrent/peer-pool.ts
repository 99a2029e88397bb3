import { addressKey, type Address } from '../seam/net.js';
import { internAddress } from './address-intern.js';
import type { Millis } from '../seam/time.js';

interface Candidate {
  addr: Address;
  source: string;
  failures: number;
  notBefore: Millis;
  connected: boolean;
  /** In one of the two dial queues. */
  queued: boolean;
}

/** Give up on an address after this many failed dials (until a tracker names it again). */
const MAX_FAILURES = 5;

/**
 * Addresses we know for a torrent: who to dial next, back-off after failures, bans.
 * Pure bookkeeping; the torrent does the dialing.
 *
 * Two queues: addresses never tried come first, retries after them. In a swarm with churn
 * most known addresses are gone (every dial to one costs a connect timeout), so a fresh
 * address from a tracker or PEX must not wait behind a backlog of dead ones. An address a
 * tracker names again is fresh again; one a PEX peer says it dropped is forgotten, unless we
 * are connected to it or learned it elsewhere (BEP 11 `dropped`).
 */
export class PeerPool {
  private readonly known = new Map<string, Candidate>();
  private readonly banned = new Set<string>();
  private readonly bannedIds = new Set<string>();
  private fresh: string[] = [];
  private retry: string[] = [];

  constructor(private readonly retryBaseMs: Millis, private readonly self: Set<string>) {}

  /** Learn addresses. Returns how many became dialable (new, or named again after failures). */
  add(addrs: Address[], source: string, now: Millis): number {
    let added = 0;
    for (const a of addrs) {
      if (!a || !(a.port > 0 && a.port < 65536) || !a.host) continue;
      const { key: k, addr } = internAddress(a); // shared by every pool (see address-intern.ts)
      if (this.self.has(k) || this.banned.has(k)) continue;
      const c = this.known.get(k);
      if (!c) {
        this.known.set(k, { addr, source, failures: 0, notBefore: now, connected: false, queued: true });
        this.fresh.push(k);
        added++;
      } else if (!c.connected && c.failures > 0 && !source.startsWith('pex')) {
        // A tracker (or the DHT) just vouched for it: it announced recently, so try it again soon.
        c.failures = 0;
        c.notBefore = now;
        c.source = source;
        if (!c.queued) { c.queued = true; this.fresh.push(k); added++; }
      }
    }
    return added;
  }

  /** BEP 11 `dropped`: forget PEX-only addresses we are not connected to. */
  dropped(addrs: Address[]): void {
    for (const a of addrs) {
      const k = addressKey(a);
      const c = this.known.get(k);
      if (c && !c.connected && c.source.startsWith('pex')) this.known.delete(k); // queue entries are skipped lazily
    }
  }

  /** Next address to dial now, if any: fresh ones first, then retries whose back-off is over. */
  next(now: Millis): Address | undefined {
    return this.take(this.fresh, now) ?? this.take(this.retry, now);
  }

  private take(queue: string[], now: Millis): Address | undefined {
    for (let n = queue.length; n > 0; n--) {
      const k = queue.shift()!;
      const c = this.known.get(k);
      if (!c || c.connected || this.banned.has(k)) { if (c) c.queued = false; continue; }
      if (c.notBefore > now) { queue.push(k); continue; }
      c.queued = false;
      c.connected = true;
      return c.addr;
    }
    return undefined;
  }

  /** Mark an address as connected (incoming connections too), so we do not dial it twice. */
  markConnected(addr: Address): void {
    const c = this.known.get(addressKey(addr));
    if (c) c.connected = true;
  }

  /** A connection ended. `failed` = never got a handshake (refused, timeout). */
  disconnected(addr: Address, failed: boolean, now: Millis, retry = true): void {
    const k = addressKey(addr);
    const c = this.known.get(k);
    if (!c) return;
    c.connected = false;
    if (failed) c.failures++;
    if (!retry || c.failures > MAX_FAILURES || this.banned.has(k) || c.queued) return;
    c.notBefore = now + this.retryBaseMs * 2 ** Math.max(0, c.failures - (failed ? 1 : 0));
    c.queued = true;
    this.retry.push(k);
  }

  ban(addr: Address, peerId?: string): void {
    this.banned.add(addressKey(addr));
    if (peerId) this.bannedIds.add(peerId);
  }
  isBanned(addr: Address, peerId?: string): boolean {
    return this.banned.has(addressKey(addr)) || (peerId !== undefined && this.bannedIds.has(peerId));
  }
  /** Every address known and not banned (to carry peers from the metadata phase into the torrent). */
  addresses(): Address[] {
    return [...this.known.entries()].filter(([k]) => !this.banned.has(k)).map(([, c]) => c.addr);
  }
  get bannedCount(): number { return this.banned.size; }
  get knownCount(): number { return this.known.size; }
  /** Addresses waiting to be dialled (fresh or retry). */
  get pendingCount(): number { return this.fresh.length + this.retry.length; }
}
