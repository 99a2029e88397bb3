/**
 * The choker contract (core/plugin-api/choker.ts), checked on any ChokerPlugin:
 *
 *  SHAPE   intervalMs is a positive finite number; rechoke returns a Set of ids of peers it
 *          was given;
 *  SLOTS   never more unchoked than the plugin's declared bound (SlotBound.maxUnchoked) —
 *          only checked where a plugin has slots;
 *  DETERMINISTIC  two instances fed the same rounds with the same seeded Random decide the
 *          same, round after round (what makes simulations replayable).
 *
 * Rounds are fast-check generated: peers come and go, interest flips, rates and byte
 * counters grow, leeching and seeding, scheduled rounds and extra calls in between (the
 * engine rechokes when an interested peer arrives); `choked` and `lastUnchokedAt` follow the
 * plugin's own previous answers, as in the engine (core/torrent/choking.ts).
 */
import fc from 'fast-check';
import type { ChokerContext, ChokerPeer, ChokerPlugin } from '../../core/plugin-api/choker.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { seededRandom } from '../../core/util/prng.js';
import type { SlotBound } from '../chokers/slot-bound.js';
import { runProperty, verdict, type ContractResult } from './result.js';

interface PeerStep { id: number; interested: boolean; down: number; up: number; seed: boolean; progress: number }
interface RoundStep { peers: PeerStep[]; seeding: boolean; extraCall: boolean; advanceMs: number }

const peerStep = fc.record({
  id: fc.nat(30), interested: fc.boolean(), down: fc.oneof(fc.constant(0), fc.nat(2_000_000)), up: fc.oneof(fc.constant(0), fc.nat(2_000_000)),
  seed: fc.boolean(), progress: fc.double({ min: 0, max: 1, noNaN: true }),
});
export const chokerRounds: fc.Arbitrary<{ seed: number; rounds: RoundStep[] }> = fc.record({
  seed: fc.nat(),
  rounds: fc.array(fc.record({
    peers: fc.uniqueArray(peerStep, { selector: (p) => p.id, maxLength: 30 }),
    seeding: fc.boolean(),
    extraCall: fc.boolean(),
    advanceMs: fc.constantFrom(10_000, 15_000, 1, 5_000),
  }), { minLength: 1, maxLength: 25 }),
});

/** Replays rounds against one choker instance, keeping per-peer state as the engine would. */
export function replay(plugin: ChokerPlugin, options: PluginOptions, seed: number, rounds: RoundStep[], onRound: (out: Set<string>, peers: ChokerPeer[]) => string | null): string | null {
  const choker = plugin.create(options);
  if (!(Number.isFinite(choker.intervalMs) && choker.intervalMs > 0)) return `intervalMs is ${choker.intervalMs}`;
  const rng = seededRandom(seed);
  const state = new Map<number, { choked: boolean; lastUnchokedAt: number; downloaded: number; uploaded: number; connectedAt: number }>();
  let now = 0;
  let round = 0;
  for (const r of rounds) {
    now += r.advanceMs;
    for (const id of [...state.keys()]) if (!r.peers.some((p) => p.id === id)) state.delete(id);
    const views: ChokerPeer[] = r.peers.map((p) => {
      let s = state.get(p.id);
      if (!s) { s = { choked: true, lastUnchokedAt: -Infinity, downloaded: 0, uploaded: 0, connectedAt: now }; state.set(p.id, s); }
      s.downloaded += Math.round(p.down * r.advanceMs / 1000);
      if (!s.choked) s.uploaded += Math.round(p.up * r.advanceMs / 1000);
      const v: ChokerPeer & { progress: number } = {
        id: `10.0.${p.id >> 8}.${p.id & 255}:6881`, interested: p.interested, choked: s.choked, downloadRate: p.down, uploadRate: s.choked ? 0 : p.up,
        downloaded: s.downloaded, uploaded: s.uploaded, connectedAt: s.connectedAt, lastUnchokedAt: s.lastUnchokedAt,
        isSeed: p.seed, snubbed: false, progress: p.seed ? 1 : p.progress,
      };
      return v;
    });
    const calls = r.extraCall ? 2 : 1;
    for (let c = 0; c < calls; c++) {
      const ctx: ChokerContext = { now, seeding: r.seeding, round, rng };
      const out = choker.rechoke(views, ctx);
      if (c === 0) round++;
      if (!(out instanceof Set)) return 'rechoke did not return a Set';
      const ids = new Set(views.map((v) => v.id));
      for (const id of out) if (!ids.has(id)) return `unchoked "${id}", which is not a connected peer`;
      const bad = onRound(out, views);
      if (bad) return bad;
      for (const p of r.peers) {
        const s = state.get(p.id)!;
        const id = `10.0.${p.id >> 8}.${p.id & 255}:6881`;
        if (out.has(id) && s.choked) { s.choked = false; s.lastUnchokedAt = now; }
        else if (!out.has(id)) s.choked = true;
      }
    }
  }
  return null;
}

export interface ChokerContractOptions {
  options?: PluginOptions;
  numRuns?: number;
  seed?: number;
}

export function checkChoker(plugin: ChokerPlugin & SlotBound, o: ChokerContractOptions = {}): ContractResult[] {
  const options = o.options ?? {};
  const params = { numRuns: o.numRuns ?? 200, seed: o.seed };
  const bound = typeof plugin.maxUnchoked === 'function' ? plugin.maxUnchoked(options) : undefined;
  const results: ContractResult[] = [
    runProperty(plugin.name, 'choker: a positive interval; unchokes only peers it was given, as a Set', params,
      fc.property(chokerRounds, ({ seed, rounds }) => verdict(replay(plugin, options, seed, rounds, () => null) ?? true))),
    runProperty(plugin.name, 'choker: deterministic for a given seeded Random (two instances agree every round)', params,
      fc.property(chokerRounds, ({ seed, rounds }) => {
        const a: string[] = [], b: string[] = [];
        const errA = replay(plugin, options, seed, rounds, (out) => { a.push([...out].sort().join(',')); return null; });
        const errB = replay(plugin, options, seed, rounds, (out) => { b.push([...out].sort().join(',')); return null; });
        if (errA || errB) return verdict(errA ?? errB!);
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return verdict(`round ${i}: {${a[i]}} vs {${b[i]}}`);
        return true;
      })),
  ];
  if (bound !== undefined) {
    results.push(runProperty(plugin.name, `choker: never unchokes more than its slots (${bound})`, params,
      fc.property(chokerRounds, ({ seed, rounds }) => verdict(replay(plugin, options, seed, rounds, (out) => (out.size > bound ? `unchoked ${out.size} > ${bound}` : null)) ?? true))));
  }
  return results;
}
