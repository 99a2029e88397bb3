/**
 * Streaming piece picker — a deadline window in order from the playback position, rarest-first
 * outside it. After libtorrent's time-critical pieces (`set_piece_deadline`: pieces with a
 * deadline are requested in deadline order, ahead of the normal picker, and busy blocks of the
 * most urgent piece may be requested again from another peer) and the streaming literature's
 * "sliding window" pickers (Shah & Pâris, "Peer-to-Peer Multimedia Streaming Using
 * BitTorrent", IPCCC 2007; Vlavianos et al., "BiToS", INFOCOM 2006 — a high-priority set near
 * the playback point, rarest-first elsewhere so the swarm keeps its diversity).
 *
 * The window is `window` pieces starting at the first missing wanted piece at or after the
 * playback position, so it slides forward by itself as pieces complete. Per pick:
 *   1. window pieces in index order (their missing blocks);
 *   2. the head piece (playback is blocked on it): race its busy blocks, up to `headDup`
 *      requests per block — a stand-in for libtorrent re-requesting late time-critical blocks;
 *   3. outside the window: rarest-first (with its random first pieces and endgame).
 * A player moves the position with `seek(index)` on the picker instance.
 */
import type { BlockRef, PickerPeer, PickerView, PiecePicker, PiecePickerPlugin } from '../../core/plugin-api/picker.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { numOpt } from '../options.js';
import { eligible, rarestFirstPicker, takeMissingBlocks } from './rarest-first.js';
import { leastRequestedBlocks } from './endgame.js';

export interface StreamingPickerOptions {
  position: number;
  window: number;
  headDup: number;
  randomFirst: number;
}

export interface StreamingPicker extends PiecePicker {
  /** Move the playback position (piece index). */
  seek(index: number): void;
  /** The current window [first, end) for this view (first missing wanted piece ≥ position). */
  windowOf(view: PickerView): { first: number; end: number };
}

/** The view the outside picker sees: window pieces are not "wanted", so it never picks them. */
function outsideView(view: PickerView, first: number, end: number): PickerView {
  const inWindow = (i: number) => i >= first && i < end;
  return {
    get pieceCount() { return view.pieceCount; },
    get haveCount() { return view.haveCount; },
    get missingUnrequestedBlocks() { return view.missingUnrequestedBlocks; },
    have: (i) => view.have(i),
    wanted: (i) => !inWindow(i) && view.wanted(i),
    availability: (i) => view.availability(i),
    blockCount: (i) => view.blockCount(i),
    blockState: (i, b) => view.blockState(i, b),
    requestCount: (i, b) => view.requestCount(i, b),
    partialPieces: () => view.partialPieces(),
  };
}

export function streamingPicker(opts: Partial<StreamingPickerOptions> = {}): StreamingPicker {
  const o: StreamingPickerOptions = { position: 0, window: 8, headDup: 2, randomFirst: 0, ...opts };
  let position = Math.max(0, Math.floor(o.position));
  const outside = rarestFirstPicker({ randomFirst: o.randomFirst, endgame: true, endgameMaxDup: 2 });

  const windowOf = (view: PickerView) => {
    let first = Math.min(position, view.pieceCount);
    while (first < view.pieceCount && (view.have(first) || !view.wanted(first))) first++;
    return { first, end: Math.min(view.pieceCount, first + Math.max(0, Math.floor(o.window))) };
  };

  return {
    seek(index: number) { position = Math.max(0, Math.floor(index)); },
    windowOf,
    pick(view: PickerView, peer: PickerPeer, max, rng) {
      const out: BlockRef[] = [];
      const { first, end } = windowOf(view);
      for (let i = first; i < end && out.length < max; i++) if (eligible(view, peer, i)) takeMissingBlocks(view, peer, i, out, max);
      if (out.length < max && first < end && o.headDup > 1) {
        // Race only the head piece: restrict the duplicate search to it.
        const head: PickerView = { ...outsideView(view, first, end), wanted: (i) => i === first && view.wanted(i), partialPieces: () => view.partialPieces().filter((i) => i === first) };
        leastRequestedBlocks(head, peer, max, o.headDup, out);
      }
      if (out.length < max) {
        for (const r of outside.pick(outsideView(view, first, end), peer, max - out.length, rng)) out.push(r);
      }
      return out;
    },
  };
}

const NAME = 'picker:streaming';
export const streamingPickerPlugin: PiecePickerPlugin = {
  name: NAME,
  description: 'Streaming: a window of pieces in order from the playback position (head piece raced), rarest first outside it.',
  options: [
    { name: 'position', type: 'number', default: 0, describe: 'Initial playback position (piece index); seek() moves it' },
    { name: 'window', type: 'number', default: 8, describe: 'Pieces in the in-order deadline window' },
    { name: 'headDup', type: 'number', default: 2, describe: 'Peers asked at most for a block of the head piece (1 = no racing)' },
    { name: 'randomFirst', type: 'number', default: 0, describe: 'Random pieces outside the window until this many are complete' },
  ],
  create: (o: PluginOptions) => streamingPicker({
    position: numOpt(NAME, o, 'position', 0, 0),
    window: numOpt(NAME, o, 'window', 8, 1),
    headDup: numOpt(NAME, o, 'headDup', 2, 1),
    randomFirst: numOpt(NAME, o, 'randomFirst', 0, 0),
  }),
};
