/**
 * An example third-party choker, written only against the public API (`bt-lab/plugins`).
 * docs/writing-a-plugin.md walks through it.
 *
 * Strategy: "reciprocate, then take turns" — `slots − 1` slots go to the interested peers that
 * upload to us fastest (tit-for-tat, BEP3-CHOKE-1), and one slot goes to the interested peer
 * that has waited longest since we last unchoked it, so every peer gets a turn (a
 * deterministic optimistic unchoke). While seeding, all slots take turns.
 *
 * Use it:   bt-lab download x.torrent --choker ./dist/examples/plugins/waited-longest-choker.js --choker-opt slots=5
 *           bt-lab plugins check ./dist/examples/plugins/waited-longest-choker.js
 */
import { numOpt, type Choker, type ChokerPeer, type ChokerPlugin, type SlotBound } from 'bt-lab/plugins';

const byId = (a: ChokerPeer, b: ChokerPeer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function waitedLongest(slots: number, intervalMs: number): Choker {
  return {
    intervalMs,
    rechoke(peers, ctx) {
      const interested = peers.filter((p) => p.interested);
      // Sort with a total order (ids break ties): the same input must give the same answer.
      const fastest = ctx.seeding ? [] : [...interested].sort((a, b) => b.downloadRate - a.downloadRate || byId(a, b)).slice(0, Math.max(0, slots - 1));
      const out = new Set(fastest.map((p) => p.id));
      const waiting = interested.filter((p) => !out.has(p.id)).sort((a, b) => a.lastUnchokedAt - b.lastUnchokedAt || byId(a, b));
      for (const p of waiting) {
        if (out.size >= slots) break;
        out.add(p.id);
      }
      return out;
    },
  };
}

const NAME = 'choker:example-waited-longest';

export const waitedLongestPlugin: ChokerPlugin & SlotBound = {
  name: NAME,
  description: 'Example: slots−1 fastest uploaders to us, plus turns for whoever waited longest.',
  options: [
    { name: 'slots', type: 'number', default: 4, describe: 'Peers unchoked at most' },
    { name: 'intervalMs', type: 'number', default: 10_000, describe: 'Rechoke period in ms' },
  ],
  // Optional: lets the contract tests check "never more than its slots".
  maxUnchoked: (o) => numOpt(NAME, o, 'slots', 4, 1),
  create: (o) => waitedLongest(numOpt(NAME, o, 'slots', 4, 1), numOpt(NAME, o, 'intervalMs', 10_000, 1)),
};

export default waitedLongestPlugin;
