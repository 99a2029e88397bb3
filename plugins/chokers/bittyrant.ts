/**
 * BitTyrant (Piatek, Isdal, Anderson, Krishnamurthy, Venkataramani, "Do Incentives Build
 * Robustness in BitTorrent?", NSDI 2007): a strategic client that spends its upload where it
 * buys the most download. Per peer p it keeps
 *   u_p  the upload rate it believes p needs to reciprocate (initially `initialUp`),
 *   d_p  the download rate p gives when it reciprocates (observed: our download rate from p),
 * and each round unchokes interested peers in decreasing d_p / u_p while the sum of u_p stays
 * within the upload budget (peers too expensive for what is left are skipped, cheaper ones
 * after them may still fit — as libtorrent's bittyrant_choker did). After each round, for the
 * peers it had unchoked: not reciprocated → u_p ×(1 + δ) (δ = 0.2); reciprocated for r rounds
 * in a row (r = 3) → u_p ×(1 − γ) (γ = 0.1), as in §4 of the paper.
 *
 * "Reciprocated" means p unchokes us (ChokerPeer.peerChoking false), as in the paper; when the
 * engine does not say, that p sends us data. d_p is the observed download rate from p; for a
 * peer that gives us nothing yet it is estimated as the paper does, from how fast p announces
 * new pieces (its progress over time × the torrent size) divided by the unchoke slots a
 * reference client gives (`peerSlots`, 4): what p would send us if we were one of them.
 *
 * Approximations forced by the Choker interface (a set of peers, no per-peer rate):
 *  - the budget is `capacity`, else ctx.uploadCapacity, else max(minCapacity, peak observed
 *    total upload rate + 10 kB/s) — libtorrent's fallback when no upload limit is set;
 *  - we cannot give p exactly u_p: the engine's uplink shares bandwidth among unchoked peers,
 *    so the selection (who, how many) is what BitTyrant controls here.
 * While seeding there is nothing to buy: the top `seedSlots` peers by upload rate.
 */
import type { Choker, ChokerPeer, ChokerPlugin } from '../../core/plugin-api/choker.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { numOpt } from '../options.js';
import { byRate } from './reference.js';
import type { SlotBound } from './slot-bound.js';

export interface BitTyrantOptions {
  intervalMs: number;
  /** Upload budget in bytes/s; 0 = ctx.uploadCapacity or the estimate. */
  capacity: number;
  minCapacity: number;
  /** Initial u_p estimate, bytes/s (libtorrent default_est_reciprocation_rate: 16 000). */
  initialUp: number;
  increase: number;
  decrease: number;
  /** Rounds of reciprocation before u_p is lowered. */
  rounds: number;
  /** Peers unchoked at most (0 = as many as the budget allows). */
  maxSlots: number;
  seedSlots: number;
  /** Unchoke slots of the peers we estimate d_p for (reference clients: 4). */
  peerSlots: number;
}

interface Estimate {
  up: number;
  streak: number;
  /** Last progress seen (fraction of pieces) and when: the have-rate behind the d_p estimate. */
  progress: number;
  progressAt: number;
  /** Estimated bytes/s p would send us as one of its unchoked peers. */
  haveRate: number;
}

/** The paper's reciprocation signal: p unchokes us. Without that bit, p sends us data. */
const reciprocates = (p: ChokerPeer): boolean => (p.peerChoking !== undefined ? !p.peerChoking : p.downloadRate > 0);

export function bitTyrantChoker(opts: Partial<BitTyrantOptions> = {}): Choker & { estimate(id: string): number | undefined } {
  const o: BitTyrantOptions = {
    intervalMs: 10_000, capacity: 0, minCapacity: 20_000, initialUp: 16_000, increase: 0.2, decrease: 0.1, rounds: 3, maxSlots: 0, seedSlots: 4, peerSlots: 4, ...opts,
  };
  const est = new Map<string, Estimate>();
  let unchokedLastRound = new Set<string>();
  let lastLearnAt = -Infinity;
  let peakUpload = 0;
  return {
    intervalMs: o.intervalMs,
    estimate: (id) => est.get(id)?.up,
    rechoke(peers, ctx) {
      const live = new Set(peers.map((p) => p.id));
      for (const id of [...est.keys()]) if (!live.has(id)) est.delete(id);
      let total = 0;
      for (const p of peers) total += p.uploadRate;
      peakUpload = Math.max(peakUpload, total);
      const interested = peers.filter((p) => p.interested);
      if (ctx.seeding) {
        const out = new Set(interested.sort(byRate((p) => p.uploadRate)).slice(0, o.seedSlots).map((p) => p.id));
        unchokedLastRound = out;
        return out;
      }
      // Learn from the last round. By time, not per call: the engine also rechokes between
      // rounds (a peer arrives or leaves), and those calls must not count as rounds.
      const learn = ctx.now - lastLearnAt >= o.intervalMs / 2;
      if (learn) lastLearnAt = ctx.now;
      for (const p of peers) {
        let e = est.get(p.id);
        if (!e) { e = { up: o.initialUp, streak: 0, progress: p.progress ?? 0, progressAt: ctx.now, haveRate: 0 }; est.set(p.id, e); }
        // The have-rate estimate, over at least one round so a burst of haves does not dominate.
        if (p.progress !== undefined && ctx.torrentBytes && ctx.now - e.progressAt >= o.intervalMs / 2) {
          const gained = Math.max(0, p.progress - e.progress) * ctx.torrentBytes;
          e.haveRate = gained / ((ctx.now - e.progressAt) / 1000) / o.peerSlots;
          e.progress = p.progress;
          e.progressAt = ctx.now;
        }
        if (!learn || !unchokedLastRound.has(p.id) || p.choked) continue;
        if (!reciprocates(p)) { e.up *= 1 + o.increase; e.streak = 0; }
        else if (++e.streak >= o.rounds) { e.up *= 1 - o.decrease; e.streak = 0; }
      }
      const budget0 = o.capacity > 0 ? o.capacity : ctx.uploadCapacity && ctx.uploadCapacity > 0 ? ctx.uploadCapacity : Math.max(o.minCapacity, peakUpload + 10_000);
      const downEstimate = (p: ChokerPeer) => (p.downloadRate > 0 ? p.downloadRate : est.get(p.id)!.haveRate);
      const ratio = (p: ChokerPeer) => downEstimate(p) / est.get(p.id)!.up;
      const ranked = [...interested].sort((a, b) => ratio(b) - ratio(a) || est.get(a.id)!.up - est.get(b.id)!.up || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const out = new Set<string>();
      let budget = budget0;
      for (const p of ranked) {
        if (o.maxSlots > 0 && out.size >= o.maxSlots) break;
        const u = est.get(p.id)!.up;
        if (u <= budget) { out.add(p.id); budget -= u; }
      }
      unchokedLastRound = out;
      return out;
    },
  };
}

const NAME = 'choker:bittyrant';
export const bitTyrantChokerPlugin: ChokerPlugin & SlotBound = {
  name: NAME,
  description: 'BitTyrant (NSDI 2007): unchoke by best download/upload-cost ratio within the upload budget; adapts each peer\'s cost.',
  options: [
    { name: 'capacity', type: 'number', default: 0, describe: 'Upload budget in B/s (0 = engine estimate or peak observed + 10 kB/s)' },
    { name: 'minCapacity', type: 'number', default: 20_000, describe: 'Smallest budget assumed when estimating, B/s' },
    { name: 'initialUp', type: 'number', default: 16_000, describe: 'Initial reciprocation cost estimate u_p, B/s' },
    { name: 'increase', type: 'number', default: 0.2, describe: 'u_p growth when a peer does not reciprocate (δ)' },
    { name: 'decrease', type: 'number', default: 0.1, describe: 'u_p decrease after r reciprocated rounds (γ)' },
    { name: 'rounds', type: 'number', default: 3, describe: 'Reciprocated rounds before lowering u_p (r)' },
    { name: 'maxSlots', type: 'number', default: 0, describe: 'Peers unchoked at most (0 = budget decides)' },
    { name: 'seedSlots', type: 'number', default: 4, describe: 'Slots while seeding (by upload rate)' },
    { name: 'peerSlots', type: 'number', default: 4, describe: 'Unchoke slots assumed of other peers (d_p from their have rate / this)' },
    { name: 'intervalMs', type: 'number', default: 10_000, describe: 'Rechoke period in ms' },
  ],
  create: (o: PluginOptions) => bitTyrantChoker({
    capacity: numOpt(NAME, o, 'capacity', 0, 0),
    minCapacity: numOpt(NAME, o, 'minCapacity', 20_000, 1),
    initialUp: numOpt(NAME, o, 'initialUp', 16_000, 1),
    increase: numOpt(NAME, o, 'increase', 0.2, 0),
    decrease: numOpt(NAME, o, 'decrease', 0.1, 0),
    rounds: numOpt(NAME, o, 'rounds', 3, 1),
    maxSlots: numOpt(NAME, o, 'maxSlots', 0, 0),
    seedSlots: numOpt(NAME, o, 'seedSlots', 4, 0),
    peerSlots: numOpt(NAME, o, 'peerSlots', 4, 1),
    intervalMs: numOpt(NAME, o, 'intervalMs', 10_000, 1),
  }),
};
