/**
 * PropShare (Levin, LaCurts, Spring, Bhattacharjee, "BitTorrent is an Auction: Analyzing and
 * Improving BitTorrent's Incentives", SIGCOMM 2008): upload is split among the peers in
 * proportion to what each gave us in the last round, with a small share (20 % in the paper)
 * kept for optimistic unchokes of newcomers.
 *
 * The Choker interface returns a SET, not rates, so the proportional split is approximated in
 * time instead of in rate (lottery scheduling): each round the `slots` regular slots are
 * drawn without replacement among last round's contributors, weighted by the bytes each sent
 * us since the previous round. A peer that gave a share s of the total then holds a slot in a
 * fraction of rounds that grows with s (exactly ∝ s while no single peer's weight dominates a
 * draw), and the engine's fair uplink gives every slot holder an equal rate, so a peer's
 * upload over time tracks its contribution. When there are no more contributors than slots,
 * they are all unchoked. `optimisticSlots` more go to random interested non-contributors,
 * newcomers 3× as likely (as the reference choker), and all slots are drawn that way when
 * nobody has contributed yet. While seeding there is nothing to be proportional to: the seed
 * mode (default round-robin) ranks. A per-peer rate hook in the engine would let this be
 * exact (see the report / docs/writing-a-plugin.md).
 */
import type { Choker, ChokerPeer, ChokerPlugin } from '../../core/plugin-api/choker.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { enumOpt, numOpt } from '../options.js';
import { drawOptimistic } from './reference.js';
import { DEFAULT_QUOTA_BYTES, DEFAULT_QUOTA_MIN_MS, SEED_MODES, SeedRanker, type SeedMode } from './seed-modes.js';
import type { SlotBound } from './slot-bound.js';

export interface PropShareOptions {
  slots: number;
  optimisticSlots: number;
  intervalMs: number;
  seedMode: SeedMode;
}

/** Draw up to k distinct items, each draw with probability ∝ weight among those left. */
export function weightedSample<T>(items: readonly T[], weight: (t: T) => number, k: number, rand: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < k && pool.length > 0) {
    let total = 0;
    for (const t of pool) total += weight(t);
    let x = rand() * total;
    let pick = pool.length - 1;
    for (let i = 0; i < pool.length; i++) { x -= weight(pool[i]); if (x < 0) { pick = i; break; } }
    out.push(pool[pick]);
    pool.splice(pick, 1);
  }
  return out;
}

export function propShareChoker(opts: Partial<PropShareOptions> = {}): Choker {
  const o: PropShareOptions = { slots: 4, optimisticSlots: 1, intervalMs: 10_000, seedMode: 'round-robin', ...opts };
  const seedRank = new SeedRanker({ mode: o.seedMode, quotaBytes: DEFAULT_QUOTA_BYTES, quotaMinMs: DEFAULT_QUOTA_MIN_MS });
  /** `downloaded` totals at the last round boundary, and the contributions measured then. */
  let mark = new Map<string, number>();
  let contrib = new Map<string, number>();
  let lastMarkAt = -Infinity;
  return {
    intervalMs: o.intervalMs,
    rechoke(peers, ctx) {
      seedRank.observe(peers);
      const interested = peers.filter((p) => p.interested);
      if (ctx.seeding) return new Set([...interested].sort(seedRank.comparator(ctx)).slice(0, o.slots + o.optimisticSlots).map((p) => p.id));
      // Close the round by time (extra calls between rounds reuse the last measurement).
      if (ctx.now - lastMarkAt >= o.intervalMs / 2) {
        lastMarkAt = ctx.now;
        const next = new Map<string, number>();
        contrib = new Map();
        for (const p of peers) {
          next.set(p.id, p.downloaded);
          const gave = p.downloaded - (mark.get(p.id) ?? 0);
          if (gave > 0) contrib.set(p.id, gave);
        }
        mark = next;
      }
      // Deterministic order before any random draw: the engine's peer order is not part of the contract.
      const sorted = [...interested].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const givers = sorted.filter((p) => (contrib.get(p.id) ?? 0) > 0);
      const regular = givers.length <= o.slots ? givers : weightedSample(givers, (p) => contrib.get(p.id)!, o.slots, () => ctx.rng.float());
      const out = new Set(regular.map((p) => p.id));
      const free = o.slots - out.size + o.optimisticSlots;
      for (let k = 0; k < free; k++) {
        const pool: ChokerPeer[] = sorted.filter((p) => !out.has(p.id));
        const pick = drawOptimistic(pool, ctx, 3 * o.intervalMs, 3);
        if (!pick) break;
        out.add(pick.id);
      }
      return out;
    },
  };
}

const NAME = 'choker:propshare';
export const propShareChokerPlugin: ChokerPlugin & SlotBound = {
  name: NAME,
  description: 'PropShare (SIGCOMM 2008): slots drawn in proportion to what each peer gave last round, plus optimistic newcomers.',
  options: [
    { name: 'slots', type: 'number', default: 4, describe: 'Proportional slots per round' },
    { name: 'optimisticSlots', type: 'number', default: 1, describe: 'Extra slots for random newcomers (the paper\'s ~20 % share)' },
    { name: 'intervalMs', type: 'number', default: 10_000, describe: 'Rechoke period in ms' },
    { name: 'seedMode', type: 'string', default: 'round-robin', describe: `Ranking while seeding: ${SEED_MODES.join(' | ')}` },
  ],
  maxUnchoked: (o) => numOpt(NAME, o, 'slots', 4, 0) + numOpt(NAME, o, 'optimisticSlots', 1, 0),
  create: (o: PluginOptions) => propShareChoker({
    slots: numOpt(NAME, o, 'slots', 4, 0),
    optimisticSlots: numOpt(NAME, o, 'optimisticSlots', 1, 0),
    intervalMs: numOpt(NAME, o, 'intervalMs', 10_000, 1),
    seedMode: enumOpt(NAME, o, 'seedMode', SEED_MODES, 'round-robin'),
  }),
};
