import { addressKey, type Address } from '../seam/net.js';
import type { Millis } from '../seam/time.js';

interface Candidate {
  addr: Address;
  source: string;
  failures: number;
  notBefore: Millis;
  connected: boolean;
}

/**
 * Addresses we know for a torrent: who to dial next, back-off after failures, bans.
 * Pure bookkeeping; the torrent does the dialing.
 */
export class PeerPool {
  private readonly known = new Map<string, Candidate>();
  private readonly banned = new Set<string>();
  private readonly bannedIds = new Set<string>();
  /** FIFO of keys to try; re-queued after back-off. */
  private queue: string[] = [];

  constructor(private readonly retryBaseMs: Millis, private readonly self: Set<string>) {}

  add(addrs: Address[], source: string, now: Millis): number {
    let added = 0;
    for (const a of addrs) {
      if (!a || !(a.port > 0 && a.port < 65536) || !a.host) continue;
      const k = addressKey(a);
      if (this.self.has(k) || this.banned.has(k) || this.known.has(k)) continue;
      this.known.set(k, { addr: a, source, failures: 0, notBefore: now, connected: false });
      this.queue.push(k);
      added++;
    }
    return added;
  }

  /** Next address to dial now, if any. */
  next(now: Millis): Address | undefined {
    for (let n = this.queue.length; n > 0; n--) {
      const k = this.queue.shift()!;
      const c = this.known.get(k);
      if (!c || c.connected || this.banned.has(k)) continue;
      if (c.notBefore > now) { this.queue.push(k); continue; }
      c.connected = true;
      return c.addr;
    }
    return undefined;
  }

  /** Mark an address as connected (incoming connections too), so we do not dial it twice. */
  markConnected(addr: Address): void {
    const k = addressKey(addr);
    const c = this.known.get(k);
    if (c) c.connected = true;
  }

  /** A connection ended. `failed` = never got a handshake (refused, timeout). */
  disconnected(addr: Address, failed: boolean, now: Millis, retry = true): void {
    const k = addressKey(addr);
    const c = this.known.get(k);
    if (!c) return;
    c.connected = false;
    if (failed) c.failures++;
    if (!retry || c.failures > 5 || this.banned.has(k)) return;
    c.notBefore = now + this.retryBaseMs * 2 ** Math.max(0, c.failures - (failed ? 1 : 0));
    this.queue.push(k);
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
  get pendingCount(): number { return this.queue.length; }
}
