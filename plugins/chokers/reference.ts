/**
 * The BEP 3 reference choker (BEP3-CHOKE-1; Cohen 2003, mainline's Choker.py): every 10 s
 * unchoke the `slots` interested peers that give us the best download rate (when seeding:
 * to whom we upload fastest), plus one optimistic unchoke rotated every 30 s, for which peers
 * connected in the last optimistic period are 3× as likely to be chosen.
 *
 * `seedMode` picks how peers are ranked while seeding (BEP 3 says: by upload rate, the
 * default); the other modes are libtorrent's seed_choking_algorithm — see seed-modes.ts.
 */
import type { Choker, ChokerContext, ChokerPeer, ChokerPlugin } from '../../core/plugin-api/choker.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { enumOpt, numOpt } from '../options.js';
import type { SlotBound } from './slot-bound.js';
import { DEFAULT_QUOTA_BYTES, DEFAULT_QUOTA_MIN_MS, SEED_MODES, SeedRanker, type SeedMode } from './seed-modes.js';

export interface ReferenceChokerOptions {
  slots: number;
  intervalMs: number;
  /** Rotate the optimistic unchoke every this many rounds (3 × 10 s = 30 s). */
  optimisticEvery: number;
  /** Weight of newly connected peers in the optimistic draw. */
  newPeerWeight: number;
  /** Ranking while seeding (seed-modes.ts). */
  seedMode: SeedMode;
  /** round-robin: bytes a peer may receive per turn, and the shortest turn. */
  quotaBytes: number;
  quotaMinMs: number;
}

/** Sort by rate descending, id ascending for ties: a total order, so rounds are reproducible. */
export function byRate(rate: (p: ChokerPeer) => number) {
  return (a: ChokerPeer, b: ChokerPeer) => rate(b) - rate(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Weighted draw among `pool` (new peers × weight) — shared by chokers with an optimistic slot. */
export function drawOptimistic(pool: readonly ChokerPeer[], ctx: ChokerContext, newWindowMs: number, newWeight: number): ChokerPeer | undefined {
  if (pool.length === 0) return undefined;
  const weights = pool.map((p) => (ctx.now - p.connectedAt < newWindowMs ? newWeight : 1));
  let total = 0;
  for (const w of weights) total += w;
  let x = ctx.rng.float() * total;
  for (let i = 0; i < pool.length; i++) { x -= weights[i]; if (x < 0) return pool[i]; }
  return pool[pool.length - 1];
}

export function referenceChoker(opts: Partial<ReferenceChokerOptions> = {}): Choker {
  const o: ReferenceChokerOptions = {
    slots: 4, intervalMs: 10_000, optimisticEvery: 3, newPeerWeight: 3,
    seedMode: 'upload-rate', quotaBytes: DEFAULT_QUOTA_BYTES, quotaMinMs: DEFAULT_QUOTA_MIN_MS, ...opts,
  };
  let optimistic: string | undefined;
  let rotatedAt = -1;
  const seedRank = new SeedRanker({ mode: o.seedMode, quotaBytes: o.quotaBytes, quotaMinMs: o.quotaMinMs });
  return {
    intervalMs: o.intervalMs,
    rechoke(peers, ctx) {
      seedRank.observe(peers);
      const order = ctx.seeding ? seedRank.comparator(ctx) : byRate((p: ChokerPeer) => p.downloadRate);
      const interested = peers.filter((p) => p.interested).sort(order);
      const regular = interested.slice(0, o.slots);
      const out = new Set(regular.map((p) => p.id));
      const stillThere = optimistic !== undefined && peers.some((p) => p.id === optimistic && p.interested);
      // Rotate once per `optimisticEvery` scheduled rounds: extra rechokes inside a round (a new
      // interested peer, a disconnect) keep the round number and must not redraw.
      const due = ctx.round % o.optimisticEvery === 0 && ctx.round !== rotatedAt;
      if (due || !stillThere || out.has(optimistic!)) {
        const pool = interested.filter((p) => !out.has(p.id));
        optimistic = drawOptimistic(pool, ctx, o.intervalMs * o.optimisticEvery, o.newPeerWeight)?.id;
        if (due) rotatedAt = ctx.round;
      }
      if (optimistic !== undefined) out.add(optimistic);
      return out;
    },
  };
}

const REF = 'choker:reference';
export const referenceChokerPlugin: ChokerPlugin & SlotBound = {
  name: 'choker:reference',
  description: 'BEP 3 reference: 4 best by rate every 10 s + 1 optimistic unchoke rotated every 30 s, new peers 3x as likely.',
  options: [
    { name: 'slots', type: 'number', default: 4, describe: 'Regular unchoke slots' },
    { name: 'intervalMs', type: 'number', default: 10000, describe: 'Rechoke period in ms' },
    { name: 'optimisticEvery', type: 'number', default: 3, describe: 'Rounds between optimistic rotations' },
    { name: 'newPeerWeight', type: 'number', default: 3, describe: 'Weight of new peers in the optimistic draw' },
    { name: 'seedMode', type: 'string', default: 'upload-rate', describe: `Ranking while seeding: ${SEED_MODES.join(' | ')}` },
    { name: 'quotaBytes', type: 'number', default: DEFAULT_QUOTA_BYTES, describe: 'round-robin: bytes per turn before a peer yields its slot' },
    { name: 'quotaMinMs', type: 'number', default: DEFAULT_QUOTA_MIN_MS, describe: 'round-robin: shortest turn in ms' },
  ],
  maxUnchoked: (o: PluginOptions) => numOpt(REF, o, 'slots', 4, 0) + 1,
  create: (o: PluginOptions) => referenceChoker({
    slots: numOpt(REF, o, 'slots', 4, 0),
    intervalMs: numOpt(REF, o, 'intervalMs', 10_000, 1),
    optimisticEvery: numOpt(REF, o, 'optimisticEvery', 3, 1),
    newPeerWeight: numOpt(REF, o, 'newPeerWeight', 3, 0),
    seedMode: enumOpt(REF, o, 'seedMode', SEED_MODES, 'upload-rate'),
    quotaBytes: numOpt(REF, o, 'quotaBytes', DEFAULT_QUOTA_BYTES, 0),
    quotaMinMs: numOpt(REF, o, 'quotaMinMs', DEFAULT_QUOTA_MIN_MS, 0),
  }),
};
