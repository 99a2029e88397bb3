/**
 * How to rank peers when we are seeding (nobody uploads to us, so download rate says nothing).
 * libtorrent's `seed_choking_algorithm` (src/choker.cpp, read for semantics, not copied):
 *
 *  - 'upload-rate'   BEP3-CHOKE-1 / mainline: the peers we upload to fastest.
 *  - 'fastest-upload' libtorrent fastest_upload: same, ties go to the peer that has waited
 *                    longest since it was last unchoked.
 *  - 'round-robin'   libtorrent round_robin (its default): keep an unchoked peer until it has
 *                    received its quota (`quotaBytes`, libtorrent: seeding_piece_quota = 20
 *                    pieces) AND has been unchoked for `quotaMinMs` (1 min); a peer that has
 *                    used its quota goes to the back; choked peers count as rate 0 (a residual
 *                    transfer must not put a just-choked peer first); then longest waiting.
 *  - 'anti-leech'    libtorrent anti_leech (Chow et al., "Improving BitTorrent: A Simple
 *                    Approach", IPTPS 2008): prefer peers that just started or are nearly
 *                    done, score = |progress − ½|, a V over the peer's completion.
 *
 * anti-leech needs the peer's progress, which ChokerPeer does not carry yet: it reads an
 * optional `progress` field (fraction of pieces the peer has) when the engine supplies it,
 * counts seeds as 1, and otherwise treats the peer as half-done (score 0), so without the field
 * it degrades to longest-waiting order.
 */
import type { ChokerContext, ChokerPeer } from '../../core/plugin-api/choker.js';

export const SEED_MODES = ['upload-rate', 'fastest-upload', 'round-robin', 'anti-leech'] as const;
export type SeedMode = (typeof SEED_MODES)[number];

/** A ChokerPeer that may also carry the peer's completion (see the file comment). */
export type ChokerPeerWithProgress = ChokerPeer & { readonly progress?: number };

export interface SeedRankOptions {
  mode: SeedMode;
  quotaBytes: number;
  quotaMinMs: number;
}

export const DEFAULT_QUOTA_BYTES = 20 * 256 * 1024;
export const DEFAULT_QUOTA_MIN_MS = 60_000;

const byId = (a: ChokerPeer, b: ChokerPeer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** Waited longest since its last unchoke first (never unchoked = -Infinity = first). */
const byWaiting = (a: ChokerPeer, b: ChokerPeer) => (a.lastUnchokedAt === b.lastUnchokedAt ? 0 : a.lastUnchokedAt < b.lastUnchokedAt ? -1 : 1);

export function antiLeechScore(p: ChokerPeerWithProgress): number {
  const progress = p.isSeed ? 1 : typeof p.progress === 'number' && Number.isFinite(p.progress) ? Math.min(1, Math.max(0, p.progress)) : 0.5;
  return Math.round(Math.abs(progress - 0.5) * 2000);
}

/**
 * Stateful seed ranking: round-robin needs "bytes uploaded since it was unchoked", which the
 * view does not carry, so we remember each peer's `uploaded` total while it is choked — the
 * value frozen at the moment it is unchoked is the baseline.
 */
export class SeedRanker {
  private readonly baseline = new Map<string, number>();
  constructor(readonly o: SeedRankOptions) {}

  /** Call once per round with every peer before sorting. */
  observe(peers: readonly ChokerPeer[]): void {
    const seen = new Set<string>();
    for (const p of peers) {
      seen.add(p.id);
      if (p.choked || !this.baseline.has(p.id)) this.baseline.set(p.id, p.choked ? p.uploaded : 0);
    }
    for (const id of [...this.baseline.keys()]) if (!seen.has(id)) this.baseline.delete(id);
  }

  uploadedSinceUnchoke(p: ChokerPeer): number {
    return p.uploaded - (this.baseline.get(p.id) ?? 0);
  }

  quotaComplete(p: ChokerPeer, now: number): boolean {
    return !p.choked && this.uploadedSinceUnchoke(p) > this.o.quotaBytes && now - p.lastUnchokedAt > this.o.quotaMinMs;
  }

  /** A comparator: negative when `a` should be unchoked before `b`. Total (ids break ties). */
  comparator(ctx: ChokerContext): (a: ChokerPeerWithProgress, b: ChokerPeerWithProgress) => number {
    switch (this.o.mode) {
      case 'upload-rate':
        return (a, b) => b.uploadRate - a.uploadRate || byId(a, b);
      case 'fastest-upload':
        return (a, b) => b.uploadRate - a.uploadRate || byWaiting(a, b) || byId(a, b);
      case 'round-robin':
        return (a, b) => {
          const qa = this.quotaComplete(a, ctx.now), qb = this.quotaComplete(b, ctx.now);
          if (qa !== qb) return qa ? 1 : -1;
          const ra = a.choked ? 0 : a.uploadRate, rb = b.choked ? 0 : b.uploadRate;
          return rb - ra || byWaiting(a, b) || byId(a, b);
        };
      case 'anti-leech':
        return (a, b) => antiLeechScore(b) - antiLeechScore(a) || byWaiting(a, b) || byId(a, b);
    }
  }
}
