/**
 * Sequential piece picker — lowest index first, as libtorrent's `sequential_download` flag and
 * Transmission's "download sequentially" do (used for previews and streaming to players that
 * cannot seek). Known cost: every sequential peer wants the same pieces, so it weakens the
 * swarm's piece diversity (Legout et al., IMC 2006, on why rarest-first matters); that is what
 * bt-lab's comparisons are for. Partial pieces come first naturally: they are the lowest
 * missing indices.
 */
import type { BlockRef, PiecePicker, PiecePickerPlugin } from '../../core/plugin-api/picker.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { boolOpt, numOpt } from '../options.js';
import { eligible, endgameBlocks, takeMissingBlocks } from './rarest-first.js';

export interface SequentialPickerOptions {
  /** First piece to fetch; pieces before it are fetched after the end is reached (wrap around). */
  start: number;
  endgame: boolean;
  endgameMaxDup: number;
}

export function sequentialPicker(opts: Partial<SequentialPickerOptions> = {}): PiecePicker {
  const o: SequentialPickerOptions = { start: 0, endgame: true, endgameMaxDup: 2, ...opts };
  return {
    pick(view, peer, max) {
      const out: BlockRef[] = [];
      const n = view.pieceCount;
      const first = n > 0 ? Math.min(Math.max(0, Math.floor(o.start)), n - 1) : 0;
      for (let k = 0; k < n && out.length < max; k++) {
        const i = (first + k) % n;
        if (eligible(view, peer, i)) takeMissingBlocks(view, peer, i, out, max);
      }
      if (out.length === 0 && o.endgame && view.missingUnrequestedBlocks === 0) endgameBlocks(view, peer, max, o.endgameMaxDup, out);
      return out;
    },
  };
}

const NAME = 'picker:sequential';
export const sequentialPickerPlugin: PiecePickerPlugin = {
  name: NAME,
  description: 'Sequential: lowest missing piece first (libtorrent sequential_download); endgame at the end.',
  options: [
    { name: 'start', type: 'number', default: 0, describe: 'Piece to start from (earlier pieces come last)' },
    { name: 'endgame', type: 'boolean', default: true, describe: 'Duplicate outstanding requests when nothing is left to request' },
    { name: 'endgameMaxDup', type: 'number', default: 2, describe: 'Peers asked for the same block at most in endgame' },
  ],
  create: (o: PluginOptions) => sequentialPicker({
    start: numOpt(NAME, o, 'start', 0, 0),
    endgame: boolOpt(NAME, o, 'endgame', true),
    endgameMaxDup: numOpt(NAME, o, 'endgameMaxDup', 2, 1),
  }),
};
