/**
 * Endgame variants of rarest-first. Cohen, "Incentives Build Robustness in BitTorrent" (2003),
 * "end game mode": once every block has been requested, ask all peers for the blocks still
 * outstanding and cancel the duplicates as blocks arrive, so one slow peer cannot stall the
 * last piece. Two readings, after libtorrent's `strict_end_game_mode` setting:
 *
 *  - picker:endgame-strict (strict_end_game_mode = true, and the paper's wording): duplicate
 *    only when no block is left unrequested anywhere in the torrent; then ask this peer for
 *    every outstanding block it has and has not been asked for (`maxDup` default unlimited).
 *  - picker:endgame-loose (strict_end_game_mode = false): a peer with nothing unrequested to
 *    offer us may race busy blocks at once, even while other pieces still have unrequested
 *    blocks (that other peers lack or are slow on). Duplicates are capped (`maxDup` default 2)
 *    and go to the least-requested blocks first, so the race spreads instead of piling up.
 *
 * Outside endgame both are rarest-first (with its random first pieces). The engine cancels
 * the other copies when a block arrives (BEP3-MSG-11).
 */
import { BlockState, type BlockRef, type PickerPeer, type PickerView, type PiecePicker, type PiecePickerPlugin } from '../../core/plugin-api/picker.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { numOpt } from '../options.js';
import { eligible, endgameBlocks, rarestFirstPicker } from './rarest-first.js';

/** Requested blocks this peer could duplicate, least-requested first (ties: piece, block order). */
export function leastRequestedBlocks(view: PickerView, peer: PickerPeer, max: number, maxDup: number, out: BlockRef[]): void {
  const cand: Array<{ index: number; block: number; n: number }> = [];
  for (const i of view.partialPieces()) {
    if (!eligible(view, peer, i)) continue;
    const blocks = view.blockCount(i);
    for (let b = 0; b < blocks; b++) {
      if (view.blockState(i, b) !== BlockState.Requested || peer.hasRequested(i, b)) continue;
      const n = view.requestCount(i, b);
      if (n < maxDup) cand.push({ index: i, block: b, n });
    }
  }
  cand.sort((a, b) => a.n - b.n || a.index - b.index || a.block - b.block);
  for (const c of cand) {
    if (out.length >= max) return;
    out.push({ index: c.index, block: c.block });
  }
}

export interface EndgamePickerOptions {
  strict: boolean;
  maxDup: number;
  randomFirst: number;
}

export function endgamePicker(opts: Partial<EndgamePickerOptions> = {}): PiecePicker {
  const o: EndgamePickerOptions = { strict: true, maxDup: Infinity, randomFirst: 4, ...opts };
  const normal = rarestFirstPicker({ randomFirst: o.randomFirst, endgame: false });
  return {
    pick(view, peer, max, rng) {
      const out = normal.pick(view, peer, max, rng);
      if (out.length > 0) return out;
      if (o.strict) {
        if (view.missingUnrequestedBlocks === 0) endgameBlocks(view, peer, max, o.maxDup, out);
      } else {
        leastRequestedBlocks(view, peer, max, o.maxDup, out);
      }
      return out;
    },
  };
}

const STRICT = 'picker:endgame-strict';
export const strictEndgamePickerPlugin: PiecePickerPlugin = {
  name: STRICT,
  description: 'Rarest first; endgame only when every block is requested, then ask every peer for every outstanding block (Cohen 2003).',
  options: [
    { name: 'maxDup', type: 'number', default: 0, describe: 'Peers asked for the same block at most (0 = no limit)' },
    { name: 'randomFirst', type: 'number', default: 4, describe: 'Pick at random until this many pieces are complete' },
  ],
  create: (o: PluginOptions) => {
    const dup = numOpt(STRICT, o, 'maxDup', 0, 0);
    return endgamePicker({ strict: true, maxDup: dup === 0 ? Infinity : dup, randomFirst: numOpt(STRICT, o, 'randomFirst', 4, 0) });
  },
};

const LOOSE = 'picker:endgame-loose';
export const looseEndgamePickerPlugin: PiecePickerPlugin = {
  name: LOOSE,
  description: 'Rarest first; a peer with nothing fresh to offer races busy blocks at once, least-requested first (libtorrent strict_end_game_mode=false).',
  options: [
    { name: 'maxDup', type: 'number', default: 2, describe: 'Peers asked for the same block at most' },
    { name: 'randomFirst', type: 'number', default: 4, describe: 'Pick at random until this many pieces are complete' },
  ],
  create: (o: PluginOptions) => endgamePicker({ strict: false, maxDup: numOpt(LOOSE, o, 'maxDup', 2, 1), randomFirst: numOpt(LOOSE, o, 'randomFirst', 4, 0) }),
};
