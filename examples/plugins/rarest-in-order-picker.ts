/**
 * An example third-party piece picker, written only against the public API (`bt-lab/plugins`),
 * as a plugin author outside this repository would write it. docs/writing-a-plugin.md walks
 * through it.
 *
 * Strategy: "rarest first, ties by index" — like rarest-first, but among equally rare pieces
 * take the lowest index instead of a random one. A simple middle ground between rarest-first
 * (swarm health) and sequential (a prefix of the file is usable early); it uses no randomness.
 *
 * Use it:   bt-lab download x.torrent --picker ./dist/examples/plugins/rarest-in-order-picker.js
 *           bt-lab plugins check ./dist/examples/plugins/rarest-in-order-picker.js
 */
import {
  eligible, endgameBlocks, partialFirst, takeMissingBlocks, numOpt,
  type BlockRef, type PiecePicker, type PiecePickerPlugin, type PickerPeer, type PickerView,
} from 'bt-lab/plugins';

export interface RarestInOrderOptions {
  /** Peers asked for the same block at most once endgame starts. */
  endgameMaxDup: number;
}

export function rarestInOrder(opts: RarestInOrderOptions): PiecePicker {
  return {
    pick(view: PickerView, peer: PickerPeer, max: number): BlockRef[] {
      const out: BlockRef[] = [];
      // 1. Finish what is started: partial pieces hold memory and cannot be shared yet.
      partialFirst(view, peer, max, out);
      // 2. Fresh pieces, rarest first; the index breaks ties (a stable sort keeps index order).
      if (out.length < max) {
        const started = new Set(view.partialPieces());
        const fresh: number[] = [];
        for (let i = 0; i < view.pieceCount; i++) if (!started.has(i) && eligible(view, peer, i)) fresh.push(i);
        fresh.sort((a, b) => view.availability(a) - view.availability(b));
        for (const i of fresh) {
          if (out.length >= max) break;
          takeMissingBlocks(view, peer, i, out, max);
        }
      }
      // 3. Endgame: nothing left unrequested anywhere — race the outstanding blocks.
      if (out.length === 0 && view.missingUnrequestedBlocks === 0) endgameBlocks(view, peer, max, opts.endgameMaxDup, out);
      return out;
    },
  };
}

const NAME = 'picker:example-rarest-in-order';

/** The plugin object: what --picker loads (the default export, or any named export of this shape). */
export const rarestInOrderPlugin: PiecePickerPlugin = {
  name: NAME,
  description: 'Example: rarest first with ties broken by piece index (no randomness).',
  options: [{ name: 'endgameMaxDup', type: 'number', default: 2, describe: 'Peers asked for the same block at most in endgame' }],
  create: (options) => rarestInOrder({ endgameMaxDup: numOpt(NAME, options, 'endgameMaxDup', 2, 1) }),
};

export default rarestInOrderPlugin;
