/**
 * The BEP 3 reference choker (BEP3-CHOKE-1; Cohen 2003, mainline's Choker.py): every 10 s
 * unchoke the `slots` interested peers that give us the best download rate (when seeding:
 * to whom we upload fastest), plus one optimistic unchoke rotated every 30 s, for which peers
 * connected in the last optimistic period are 3× as likely to be chosen.
 */
import type { Choker, ChokerContext, ChokerPeer, ChokerPlugin } from '../../core/plugin-api/choker.js';

export interface ReferenceChokerOptions {
  slots: number;
  intervalMs: number;
  /** Rotate the optimistic unchoke every this many rounds (3 × 10 s = 30 s). */
  optimisticEvery: number;
  /** Weight of newly connected peers in the optimistic draw. */
  newPeerWeight: number;
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
  const o: ReferenceChokerOptions = { slots: 4, intervalMs: 10_000, optimisticEvery: 3, newPeerWeight: 3, ...opts };
  let optimistic: string | undefined;
  return {
    intervalMs: o.intervalMs,
    rechoke(peers, ctx) {
      const rate = ctx.seeding ? (p: ChokerPeer) => p.uploadRate : (p: ChokerPeer) => p.downloadRate;
      const interested = peers.filter((p) => p.interested).sort(byRate(rate));
      const regular = interested.slice(0, o.slots);
      const out = new Set(regular.map((p) => p.id));
      const stillThere = optimistic !== undefined && peers.some((p) => p.id === optimistic && p.interested);
      if (ctx.round % o.optimisticEvery === 0 || !stillThere || out.has(optimistic!)) {
        const pool = interested.filter((p) => !out.has(p.id));
        optimistic = drawOptimistic(pool, ctx, o.intervalMs * o.optimisticEvery, o.newPeerWeight)?.id;
      }
      if (optimistic !== undefined) out.add(optimistic);
      return out;
    },
  };
}

export const referenceChokerPlugin: ChokerPlugin = {
  name: 'choker:reference',
  description: 'BEP 3 reference: 4 best by rate every 10 s + 1 optimistic unchoke rotated every 30 s, new peers 3x as likely.',
  options: [
    { name: 'slots', type: 'number', default: 4, describe: 'Regular unchoke slots' },
    { name: 'intervalMs', type: 'number', default: 10000, describe: 'Rechoke period in ms' },
    { name: 'optimisticEvery', type: 'number', default: 3, describe: 'Rounds between optimistic rotations' },
    { name: 'newPeerWeight', type: 'number', default: 3, describe: 'Weight of new peers in the optimistic draw' },
  ],
  create: (options) => referenceChoker(options as Partial<ReferenceChokerOptions>),
};
