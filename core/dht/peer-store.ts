import type { Address } from '../seam/net.js';
import { addressKey } from '../seam/net.js';
import type { Millis, Random } from '../seam/time.js';
import { toHex } from '../util/bytes.js';

/**
 * Peers announced to us (BEP5-Q-6), per info hash, each expiring after `ttlMs` unless
 * re-announced (announces come every 15–30 min in practice). Bounded on both axes so a flood of
 * announces cannot grow memory without limit: at most `maxPerHash` peers per hash (the oldest
 * is dropped) and `maxHashes` hashes (new hashes are refused once full).
 */
export interface PeerStoreOptions {
  ttlMs?: Millis;
  maxPerHash?: number;
  maxHashes?: number;
}

export class PeerStore {
  readonly ttlMs: Millis;
  readonly maxPerHash: number;
  readonly maxHashes: number;
  /** hash hex → (addressKey → { addr, expires }); Map keeps insertion order = oldest first. */
  private byHash = new Map<string, Map<string, { addr: Address; expires: Millis }>>();

  constructor(opts: PeerStoreOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 30 * 60_000;
    this.maxPerHash = opts.maxPerHash ?? 200;
    this.maxHashes = opts.maxHashes ?? 5000;
  }

  get hashCount(): number { return this.byHash.size; }

  /** Returns false when refused (table of hashes full). */
  add(infoHash: Uint8Array, addr: Address, now: Millis): boolean {
    const h = toHex(infoHash);
    let peers = this.byHash.get(h);
    if (!peers) {
      if (this.byHash.size >= this.maxHashes) { this.sweep(now); if (this.byHash.size >= this.maxHashes) return false; }
      peers = new Map();
      this.byHash.set(h, peers);
    }
    const k = addressKey(addr);
    peers.delete(k); // re-insert at the end: it is now the freshest
    peers.set(k, { addr: { host: addr.host, port: addr.port }, expires: now + this.ttlMs });
    if (peers.size > this.maxPerHash) peers.delete(peers.keys().next().value as string);
    return true;
  }

  /** Up to `max` live peers for the hash, a random sample when there are more. */
  get(infoHash: Uint8Array, now: Millis, max: number, rng?: Random): Address[] {
    const peers = this.byHash.get(toHex(infoHash));
    if (!peers) return [];
    const live: Address[] = [];
    for (const [k, p] of peers) {
      if (p.expires <= now) peers.delete(k);
      else live.push(p.addr);
    }
    if (peers.size === 0) this.byHash.delete(toHex(infoHash));
    if (live.length <= max) return live;
    if (!rng) return live.slice(live.length - max);
    for (let i = 0; i < max; i++) { // partial Fisher–Yates
      const j = i + rng.int(live.length - i);
      const t = live[i]; live[i] = live[j]; live[j] = t;
    }
    return live.slice(0, max);
  }

  /** Drop expired peers and empty hashes. */
  sweep(now: Millis): void {
    for (const [h, peers] of this.byHash) {
      for (const [k, p] of peers) if (p.expires <= now) peers.delete(k);
      if (peers.size === 0) this.byHash.delete(h);
    }
  }
}
