/**
 * Random piece picker — the baseline that rarest-first is measured against (Bharambe et al.,
 * "Analyzing and Improving a BitTorrent Network's Performance Mechanisms", INFOCOM 2006, and
 * Legout et al., IMC 2006, both compare against random selection). Partial pieces are finished
 * first (else every peer holds many half pieces nobody can trade); then fresh pieces uniformly
 * at random among those the peer has; endgame as rarest-first does it.
 */
import type { BlockRef, PickerPeer, PickerView, PiecePicker, PiecePickerPlugin } from '../../core/plugin-api/picker.js';
import type { Random } from '../../core/seam/time.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { boolOpt, numOpt } from '../options.js';
import { eligible, endgameBlocks, partialFirst, takeMissingBlocks } from './rarest-first.js';

export interface RandomPickerOptions {
  /** Finish started pieces before starting new ones. */
  partialFirst: boolean;
  endgame: boolean;
  endgameMaxDup: number;
}

/**
 * Fresh (not partial) eligible pieces drawn uniformly without replacement until `max` blocks
 * are chosen — a lazy Fisher–Yates, so only as many draws as needed touch the RNG.
 */
export function drawRandomPieces(view: PickerView, peer: PickerPeer, max: number, rng: Random, out: BlockRef[]): void {
  const skip = new Set(view.partialPieces());
  const candidates: number[] = [];
  for (let i = 0; i < view.pieceCount; i++) if (!skip.has(i) && eligible(view, peer, i)) candidates.push(i);
  while (candidates.length > 0 && out.length < max) {
    const k = rng.int(candidates.length);
    const i = candidates[k];
    candidates[k] = candidates[candidates.length - 1];
    candidates.pop();
    takeMissingBlocks(view, peer, i, out, max);
  }
}

export function randomPicker(opts: Partial<RandomPickerOptions> = {}): PiecePicker {
  const o: RandomPickerOptions = { partialFirst: true, endgame: true, endgameMaxDup: 2, ...opts };
  return {
    pick(view, peer, max, rng) {
      const out: BlockRef[] = [];
      if (o.partialFirst) partialFirst(view, peer, max, out);
      else for (const i of view.partialPieces()) if (eligible(view, peer, i)) takeMissingBlocks(view, peer, i, out, max);
      if (out.length < max) drawRandomPieces(view, peer, max, rng, out);
      if (out.length === 0 && o.endgame && view.missingUnrequestedBlocks === 0) endgameBlocks(view, peer, max, o.endgameMaxDup, out);
      return out;
    },
  };
}

const NAME = 'picker:random';
export const randomPickerPlugin: PiecePickerPlugin = {
  name: NAME,
  description: 'Random: partial pieces first, then fresh pieces uniformly at random (baseline for rarest-first studies).',
  options: [
    { name: 'partialFirst', type: 'boolean', default: true, describe: 'Finish started pieces before starting new ones' },
    { name: 'endgame', type: 'boolean', default: true, describe: 'Duplicate outstanding requests when nothing is left to request' },
    { name: 'endgameMaxDup', type: 'number', default: 2, describe: 'Peers asked for the same block at most in endgame' },
  ],
  create: (o: PluginOptions) => randomPicker({
    partialFirst: boolOpt(NAME, o, 'partialFirst', true),
    endgame: boolOpt(NAME, o, 'endgame', true),
    endgameMaxDup: numOpt(NAME, o, 'endgameMaxDup', 2, 1),
  }),
};
