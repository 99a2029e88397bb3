/**
 * The piece-picker contract (core/plugin-api/picker.ts), checked on any PiecePickerPlugin:
 *
 *  SAFE   every block a pick returns is in range, of a piece the peer has, that we lack and
 *         want, not Received, not already requested from this peer, not twice in one answer,
 *         allowed-fast when the peer chokes us, and there are at most `max` of them;
 *  LIVE   driven through whole simulated downloads (fast-check generated piece sizes, wanted
 *         sets, peers' availability, choking, rejections and delivery order), it eventually
 *         asks for every missing wanted piece: the download completes within a step budget.
 *
 * Endgame duplicates (a Requested block asked of another peer) are the picker's policy and
 * allowed. Failures come back as data (ContractResult), with fast-check's seed and
 * counterexample, so `bt-lab plugins check` can print them and tests can assert on them.
 */
import fc from 'fast-check';
import { BlockState, type BlockRef, type PiecePicker, type PiecePickerPlugin } from '../../core/plugin-api/picker.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { seededRandom } from '../../core/util/prng.js';
import { ModelPeer, ModelView } from './model.js';
import { runProperty, verdict, type ContractResult } from './result.js';

/** Every rule a single pick answer must keep; returns the first violation or null. */
export function pickViolation(view: ModelView, peer: ModelPeer, max: number, picks: readonly BlockRef[]): string | null {
  if (!Array.isArray(picks)) return 'pick() did not return an array';
  if (picks.length > max) return `returned ${picks.length} blocks, max was ${max}`;
  const seen = new Set<string>();
  for (const r of picks) {
    const { index: i, block: b } = r ?? ({} as BlockRef);
    if (!Number.isInteger(i) || i < 0 || i >= view.pieceCount) return `piece index ${i} out of range`;
    if (!Number.isInteger(b) || b < 0 || b >= view.blockCount(i)) return `block ${b} of piece ${i} out of range`;
    if (!peer.has(i)) return `asked for piece ${i}, which the peer lacks`;
    if (view.have(i)) return `asked for piece ${i}, which we already have`;
    if (!view.wanted(i)) return `asked for piece ${i}, which is not wanted`;
    if (view.blockState(i, b) === BlockState.Received) return `asked for block ${i}/${b}, already received`;
    if (peer.hasRequested(i, b)) return `asked for block ${i}/${b} again from the same peer`;
    if (peer.choking && !peer.allowedFast.has(i)) return `asked a choking peer for piece ${i}, not allowed-fast`;
    const k = `${i}:${b}`;
    if (seen.has(k)) return `block ${i}/${b} twice in one answer`;
    seen.add(k);
  }
  return null;
}

export interface DownloadScenario {
  blocks: number[];
  wanted: boolean[];
  have: boolean[];
  /** Per peer: which pieces it has. */
  peers: boolean[][];
  seed: number;
  maxPerPick: number;
  /** Chance per step that the picked peer chokes us / rejects everything. */
  churn: number;
}

/** Scenarios where completion is possible: every wanted piece we lack is held by some peer. */
export const downloadScenario: fc.Arbitrary<DownloadScenario> = fc
  .integer({ min: 1, max: 40 })
  .chain((n) => fc.record({
    blocks: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: n, maxLength: n }),
    wanted: fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((w) => (w.some(Boolean) ? w : w.map(() => true))),
    have: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    peers: fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 6 }),
    seed: fc.nat(),
    maxPerPick: fc.integer({ min: 1, max: 16 }),
    churn: fc.constantFrom(0, 0.05, 0.2),
  }))
  .map((s) => {
    // Give each piece nobody has to one peer, so the download can finish.
    const peers = s.peers.map((p) => [...p]);
    for (let i = 0; i < s.blocks.length; i++) if (!peers.some((p) => p[i])) peers[i % peers.length][i] = true;
    return { ...s, peers };
  });

export interface DownloadRun {
  completed: boolean;
  steps: number;
  violation: string | null;
  /** Pieces ever requested (liveness diagnostics). */
  requested: Set<number>;
}

/** Drive one download with a fresh picker; stop at the first contract violation. */
export function runDownload(picker: PiecePicker, s: DownloadScenario): DownloadRun {
  const view = new ModelView(s.blocks, s.wanted, s.have);
  const rng = seededRandom(s.seed);
  const peers = s.peers.map((has, k) => {
    const p = new ModelPeer(`10.0.0.${k + 1}:6881`, Uint8Array.from(has, (x) => (x ? 1 : 0)));
    for (let i = 0; i < has.length; i++) if (has[i]) view.avail[i]++;
    return p;
  });
  // A few allowed-fast pieces per peer (BEP 6) so choked phases are exercised.
  for (const p of peers) for (let i = 0; i < s.blocks.length; i++) if (p.has(i) && rng.int(4) === 0) p.allowedFast.add(i);
  const requested = new Set<number>();
  let totalBlocks = 0;
  for (const n of s.blocks) totalBlocks += n;
  const budget = 50 * totalBlocks + 200;
  const release = (p: ModelPeer) => {
    for (const k of p.outstanding) { const [i, b] = k.split(':').map(Number); view.unrequest(i, b); }
    p.outstanding.clear();
  };
  let steps = 0;
  for (; steps < budget && !view.complete; steps++) {
    const p = peers[rng.int(peers.length)];
    if (s.churn > 0 && rng.float() < s.churn) {
      // The peer chokes us (requests dropped, BEP3-STATE-4) or unchokes again.
      p.choking = !p.choking;
      if (p.choking) release(p);
      continue;
    }
    const room = Math.max(0, s.maxPerPick - p.outstanding.size);
    if (room > 0) {
      const picks = picker.pick(view, p, room, rng.fork(`pick${steps}`));
      const bad = pickViolation(view, p, room, picks);
      if (bad) return { completed: false, steps, violation: bad, requested };
      for (const { index, block } of picks) { p.outstanding.add(`${index}:${block}`); view.request(index, block); requested.add(index); }
    }
    // Deliver some of this peer's outstanding blocks, in random order.
    const out = [...p.outstanding];
    for (let k = out.length - 1; k > 0; k--) { const j = rng.int(k + 1); [out[k], out[j]] = [out[j], out[k]]; }
    for (const key of out.slice(0, 1 + rng.int(Math.max(1, out.length)))) {
      const [i, b] = key.split(':').map(Number);
      p.outstanding.delete(key);
      view.unrequest(i, b);
      if (view.have(i) || view.blockState(i, b) === BlockState.Received) continue;
      // Endgame: cancel the copies asked of other peers (BEP3-MSG-11).
      for (const q of peers) if (q !== p && q.outstanding.delete(key)) view.unrequest(i, b);
      if (view.receive(i, b)) picker.pieceVerified?.(i);
    }
  }
  return { completed: view.complete, steps, violation: null, requested };
}

export interface PickerContractOptions {
  options?: PluginOptions;
  numRuns?: number;
  seed?: number;
}

export function checkPicker(plugin: PiecePickerPlugin, o: PickerContractOptions = {}): ContractResult[] {
  const options = o.options ?? {};
  const params = { numRuns: o.numRuns ?? 150, seed: o.seed };
  return [
    runProperty(plugin.name, 'picker: never asks for a piece the peer lacks, a piece we have, or a block already received/requested', params,
      fc.property(downloadScenario, (s) => {
        const r = runDownload(plugin.create(options), { ...s, churn: Math.max(s.churn, 0.05) });
        return verdict(r.violation === null ? true : `violation at step ${r.steps}: ${r.violation}`);
      })),
    runProperty(plugin.name, 'picker: eventually asks for every missing piece (simulated downloads complete)', params,
      fc.property(downloadScenario, (s) => {
        const r = runDownload(plugin.create(options), s);
        if (r.violation) return verdict(`violation at step ${r.steps}: ${r.violation}`);
        return verdict(r.completed ? true : `download stalled after ${r.steps} steps`);
      })),
  ];
}
