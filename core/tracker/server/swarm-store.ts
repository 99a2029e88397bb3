import type { Random } from '../../seam/time.js';
import type { AnnounceEvent } from '../../plugin-api/peer-source.js';
import type { ScrapeEntry } from '../types.js';
import { encodeCompactPeers } from '../compact-peers.js';

/**
 * Peers per info hash, for the tracker server. A peer is keyed by ip:port within its swarm
 * (a client restarting with a new peer id replaces its old entry), expires when it misses
 * its re-announces, leaves on `stopped`. Seeders (left = 0) and `completed` events are
 * counted for scrape. Limits on torrents and peers per torrent keep memory bounded.
 */
export interface StoredPeer {
  host: string;
  port: number;
  peerId: Uint8Array;
  family: 4 | 6;
  /** The peer's compact form (6 or 18 bytes), packed once at announce instead of per reply. */
  compact: Uint8Array;
  seeding: boolean;
  expiresAt: number;
}

interface Swarm {
  peers: Map<string, StoredPeer>;
  seeders: number;
  completed: number;
}

export interface SwarmStoreOptions {
  peerTtlMs: number;
  maxPeersPerTorrent: number;
  maxTorrents: number;
}

export interface AnnounceOutcome {
  /** False when a limit kept the peer out of the store (it still gets peers back). */
  stored: boolean;
  /** False when the torrent table is full and this is a new torrent. */
  torrentKnown: boolean;
}

const peerKey = (host: string, port: number) => `${host}|${port}`;

export class SwarmStore {
  private swarms = new Map<string, Swarm>();
  private peerCount = 0;

  constructor(private readonly opts: SwarmStoreOptions) {}

  announce(hash: string, p: Omit<StoredPeer, 'expiresAt' | 'seeding' | 'compact'> & { left: number; event: AnnounceEvent }, now: number): AnnounceOutcome {
    let s = this.swarms.get(hash);
    if (!s) {
      if (p.event === 'stopped') return { stored: false, torrentKnown: true };
      if (this.swarms.size >= this.opts.maxTorrents) return { stored: false, torrentKnown: false };
      s = { peers: new Map(), seeders: 0, completed: 0 };
      this.swarms.set(hash, s);
    }
    const key = peerKey(p.host, p.port);
    const old = s.peers.get(key);
    if (old) { s.peers.delete(key); this.peerCount--; if (old.seeding) s.seeders--; }
    if (p.event === 'completed') s.completed++;
    if (p.event === 'stopped') { if (s.peers.size === 0) this.swarms.delete(hash); return { stored: false, torrentKnown: true }; }
    if (s.peers.size >= this.opts.maxPeersPerTorrent) return { stored: false, torrentKnown: true };
    const seeding = p.left === 0;
    const compact = encodeCompactPeers([p], p.family);
    s.peers.set(key, { host: p.host, port: p.port, peerId: p.peerId, family: p.family, compact, seeding, expiresAt: now + this.opts.peerTtlMs });
    this.peerCount++;
    if (seeding) s.seeders++;
    return { stored: true, torrentKnown: true };
  }

  /**
   * Up to `n` random peers of the swarm, never the requester; a seeder gets no seeders (they
   * have nothing to trade). `families` limits the address families (UDP: the packet's own).
   */
  select(hash: string, requester: { host: string; port: number; seeding: boolean }, n: number, families: ReadonlySet<4 | 6>, rng: Random, now: number): StoredPeer[] {
    const s = this.swarms.get(hash);
    if (!s || n <= 0) return [];
    const self = peerKey(requester.host, requester.port);
    const cand: StoredPeer[] = [];
    for (const [k, p] of s.peers) {
      if (k === self || p.expiresAt <= now || !families.has(p.family)) continue;
      if (requester.seeding && p.seeding) continue;
      cand.push(p);
    }
    // Partial Fisher–Yates: a uniform sample of min(n, |cand|) without shuffling everything.
    const k = Math.min(n, cand.length);
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(cand.length - i);
      const t = cand[i]; cand[i] = cand[j]; cand[j] = t;
    }
    return cand.slice(0, k);
  }

  scrape(hash: string): ScrapeEntry {
    const s = this.swarms.get(hash);
    if (!s) return { complete: 0, downloaded: 0, incomplete: 0 };
    return { complete: s.seeders, downloaded: s.completed, incomplete: s.peers.size - s.seeders };
  }

  /** Drop expired peers and empty swarms. */
  sweep(now: number): number {
    let dropped = 0;
    for (const [h, s] of this.swarms) {
      for (const [k, p] of s.peers) {
        if (p.expiresAt > now) continue;
        s.peers.delete(k);
        if (p.seeding) s.seeders--;
        this.peerCount--;
        dropped++;
      }
      if (s.peers.size === 0) this.swarms.delete(h);
    }
    return dropped;
  }

  stats(): { torrents: number; peers: number; seeders: number } {
    let seeders = 0;
    for (const s of this.swarms.values()) seeders += s.seeders;
    return { torrents: this.swarms.size, peers: this.peerCount, seeders };
  }
}

/**
 * Concatenate the stored compact forms of the peers of one family (BEP23-4 / BEP23-5), after
 * `headroom` zero bytes the caller fills in (the UDP reply's 20-byte header: one buffer, one copy).
 */
export function packPeers(peers: readonly StoredPeer[], family: 4 | 6, headroom = 0): Uint8Array {
  let n = headroom;
  for (const p of peers) if (p.family === family) n += p.compact.length;
  const out = new Uint8Array(n);
  let o = headroom;
  for (const p of peers) {
    if (p.family !== family) continue;
    const c = p.compact;
    for (let k = 0; k < c.length; k++) out[o + k] = c[k]; // 6 or 18 bytes: a loop beats set()
    o += c.length;
  }
  return out;
}
