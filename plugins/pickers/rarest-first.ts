/**
 * Rarest-first piece picker — the BitTorrent default (Cohen, "Incentives Build Robustness in
 * BitTorrent", 2003; Legout et al., "Rarest First and Choke Algorithms Are Enough", IMC 2006).
 * Order of preference, as libtorrent's piece_picker does it:
 *   1. blocks of partial pieces (finish what is started: "strict priority"),
 *   2. while fewer than `randomFirst` pieces are complete, a random piece (get something to
 *      trade quickly; rare pieces are slow to fetch),
 *   3. the rarest pieces among those the peer has, ties broken at random,
 *   4. endgame: when no block is left unrequested, blocks requested from others but not from
 *      this peer (duplicates are cancelled on arrival).
 */
import { BlockState, type BlockRef, type PickerPeer, type PickerView, type PiecePicker, type PiecePickerPlugin } from '../../core/plugin-api/picker.js';
import type { Random } from '../../core/seam/time.js';

export interface RarestFirstOptions {
  randomFirst: number;
  endgame: boolean;
  /** Endgame duplicates per block at most. */
  endgameMaxDup: number;
}

/** Missing blocks of piece i the peer may be asked for, appended to out. */
export function takeMissingBlocks(view: PickerView, peer: PickerPeer, i: number, out: BlockRef[], max: number): void {
  const n = view.blockCount(i);
  for (let b = 0; b < n && out.length < max; b++) {
    if (view.blockState(i, b) === BlockState.Missing && !peer.hasRequested(i, b)) out.push({ index: i, block: b });
  }
}

/** Can we ask this peer for piece i at all? */
export function eligible(view: PickerView, peer: PickerPeer, i: number): boolean {
  return peer.has(i) && !view.have(i) && view.wanted(i) && (!peer.choking || peer.allowedFast.has(i));
}

/** Endgame (libtorrent-style): duplicate requests for blocks others are slow to deliver. */
export function endgameBlocks(view: PickerView, peer: PickerPeer, max: number, maxDup: number, out: BlockRef[]): void {
  for (const i of view.partialPieces()) {
    if (out.length >= max) return;
    if (!eligible(view, peer, i)) continue;
    const n = view.blockCount(i);
    for (let b = 0; b < n && out.length < max; b++) {
      if (view.blockState(i, b) === BlockState.Requested && !peer.hasRequested(i, b) && view.requestCount(i, b) < maxDup) out.push({ index: i, block: b });
    }
  }
}

/** Blocks from partial pieces first (step 1), shared by several pickers. */
export function partialFirst(view: PickerView, peer: PickerPeer, max: number, out: BlockRef[]): void {
  // Most partial pieces have every block in flight already (from other peers): skipped in O(1)
  // when the view can say so, instead of a state lookup per block.
  const fast = view.missingBlocks !== undefined;
  for (const i of view.partialPieces()) {
    if (out.length >= max) return;
    if (fast && view.missingBlocks!(i) === 0) continue;
    if (eligible(view, peer, i)) takeMissingBlocks(view, peer, i, out, max);
  }
}

/**
 * All blocks of a piece nobody has touched (not partial: by the PickerView contract none of its
 * blocks is requested or received), appended to out — no per-block state lookups.
 */
export function takeFreshBlocks(view: PickerView, i: number, out: BlockRef[], max: number): void {
  const n = view.blockCount(i);
  for (let b = 0; b < n && out.length < max; b++) out.push({ index: i, block: b });
}

/**
 * The arrays a full scan reads: the view's and peer's own when they offer them (PickerView.
 * pieceArrays, PickerPeer.hasBits), else built from the methods (views that wrap another).
 */
export interface ScanArrays {
  have: Uint8Array;
  wanted: Uint8Array;
  availability: Int32Array;
  /** The peer's pieces, bitfield in wire order. */
  peerBits: Uint8Array;
}

export function scanArrays(view: PickerView, peer: PickerPeer): ScanArrays {
  const a = view.pieceArrays?.();
  const n = view.pieceCount;
  let peerBits = peer.hasBits;
  if (peerBits === undefined || peerBits.length < (n + 7) >> 3) {
    peerBits = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) if (peer.has(i)) peerBits[i >> 3] |= 0x80 >> (i & 7);
  }
  if (a !== undefined) return { have: a.have, wanted: a.wanted, availability: a.availability, peerBits };
  const have = new Uint8Array(n), wanted = new Uint8Array(n), availability = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (view.have(i)) have[i] = 1;
    if (view.wanted(i)) wanted[i] = 1;
    availability[i] = view.availability(i);
  }
  return { have, wanted, availability, peerBits };
}

/** Does piece i still have a block nobody has requested? */
export function hasMissing(view: PickerView, i: number): boolean {
  if (view.missingBlocks !== undefined) return view.missingBlocks(i) > 0;
  const n = view.blockCount(i);
  for (let b = 0; b < n; b++) if (view.blockState(i, b) === BlockState.Missing) return true;
  return false;
}

export function rarestFirstPicker(opts: Partial<RarestFirstOptions> = {}): PiecePicker {
  const o: RarestFirstOptions = { randomFirst: 4, endgame: true, endgameMaxDup: 2, ...opts };
  // The scan over all pieces is the engine's hottest loop (simulator profiles): partial pieces
  // are marked in a reused array with a generation stamp instead of a Set built per call, and
  // the most selective test (does the peer have it?) runs first.
  let stamp = new Uint32Array(0);
  let gen = 0;
  const candidates: number[] = [];
  return {
    pick(view: PickerView, peer: PickerPeer, max: number, rng: Random): BlockRef[] {
      const out: BlockRef[] = [];
      partialFirst(view, peer, max, out);
      if (out.length >= max) return out;
      const n = view.pieceCount;
      if (stamp.length < n) { stamp = new Uint32Array(n); gen = 0; }
      if (++gen === 0xffffffff) { stamp.fill(0); gen = 1; }
      for (const i of view.partialPieces()) stamp[i] = gen;
      const randomMode = view.haveCount < o.randomFirst;
      const choking = peer.choking;
      const fast = peer.allowedFast;
      // Typed arrays instead of a method call per piece and test: this loop runs over every
      // piece for most picks (12 % of a 1024-piece simulated swarm's CPU before).
      const { have, wanted, availability, peerBits } = scanArrays(view, peer);
      while (out.length < max) {
        // Collect the best tier of fresh pieces (all of them in random mode).
        candidates.length = 0;
        let best = Infinity;
        for (let i = 0; i < n; i++) {
          if ((peerBits[i >> 3] & (0x80 >> (i & 7))) === 0 || stamp[i] === gen || have[i] === 1 || wanted[i] !== 1 || (choking && !fast.has(i))) continue;
          const a = randomMode ? 0 : availability[i];
          if (a < best) { best = a; candidates.length = 0; }
          if (a === best) candidates.push(i);
        }
        if (candidates.length === 0) break;
        // Random among the equally rare.
        while (candidates.length > 0 && out.length < max) {
          const k = rng.int(candidates.length);
          const i = candidates[k];
          candidates[k] = candidates[candidates.length - 1];
          candidates.pop();
          stamp[i] = gen;
          takeFreshBlocks(view, i, out, max); // not partial (stamped above): every block is free
        }
      }
      if (out.length === 0 && o.endgame && view.missingUnrequestedBlocks === 0) endgameBlocks(view, peer, max, o.endgameMaxDup, out);
      return out;
    },
  };
}

export const rarestFirst: PiecePickerPlugin = {
  name: 'picker:rarest',
  description: 'Rarest first: partial pieces first, random first pieces, then the rarest, endgame at the end (BitTorrent default).',
  options: [
    { name: 'randomFirst', type: 'number', default: 4, describe: 'Pick at random until this many pieces are complete' },
    { name: 'endgame', type: 'boolean', default: true, describe: 'Duplicate outstanding requests when nothing is left to request' },
    { name: 'endgameMaxDup', type: 'number', default: 2, describe: 'Peers asked for the same block at most in endgame' },
  ],
  create: (options) => rarestFirstPicker(options as Partial<RarestFirstOptions>),
};
