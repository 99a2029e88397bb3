import type { Random } from '../seam/time.js';
import type { PluginMeta, PluginOptions } from './common.js';

/** State of one block of a piece, as the picker sees it. */
export const BlockState = { Missing: 0, Requested: 1, Received: 2 } as const;
export type BlockState = (typeof BlockState)[keyof typeof BlockState];

/** Read-only view of the torrent's download state (the engine implements it). */
export interface PickerView {
  readonly pieceCount: number;
  /** Number of verified pieces. */
  readonly haveCount: number;
  /** Verified (and therefore never to be requested again). */
  have(index: number): boolean;
  /** Wanted by the user (file priorities / selection). */
  wanted(index: number): boolean;
  /** Copies among connected peers (seeds included). */
  availability(index: number): number;
  /** Blocks in this piece (the last piece may have fewer). */
  blockCount(index: number): number;
  blockState(index: number, block: number): BlockState;
  /** How many peers currently have this block requested (endgame duplicates). */
  requestCount(index: number, block: number): number;
  /** Pieces with at least one block requested or received but not yet verified. */
  partialPieces(): readonly number[];
  /** Count of blocks neither received nor requested, over wanted pieces we lack. */
  readonly missingUnrequestedBlocks: number;
  /** Optional fast path: blocks of the piece in state Missing, in O(1) (0 for a piece we have). */
  missingBlocks?(index: number): number;
  /**
   * Optional fast path for pickers that scan every piece: the state behind have(), wanted()
   * and availability() as arrays indexed by piece (have/wanted: 1 or 0). Read-only, and live
   * (they change as the torrent does). A view that wraps another and changes any of those
   * answers must not pass this through.
   */
  pieceArrays?(): PieceArrays;
}

export interface PieceArrays {
  readonly have: Uint8Array;
  readonly wanted: Uint8Array;
  readonly availability: Int32Array;
}

/** Read-only view of the peer we are picking for. */
export interface PickerPeer {
  readonly id: string;
  has(index: number): boolean;
  /** Number of pieces the peer has. */
  readonly haveCount: number;
  /** Bytes/s recently received from this peer. */
  readonly downloadRate: number;
  /** Outstanding requests to this peer. */
  readonly pending: number;
  /** Blocks already requested from this peer (so endgame does not duplicate to the same peer). */
  hasRequested(index: number, block: number): boolean;
  /** Pieces the peer lets us request while choked (BEP 6 allowed-fast); empty if none. */
  readonly allowedFast: ReadonlySet<number>;
  /** True when the peer has us choked (only allowed-fast pieces may be requested). */
  readonly choking: boolean;
  /** Optional fast path: the peer's pieces as a bitfield in wire order (high bit of byte 0 = piece 0; read-only, live). */
  readonly hasBits?: Uint8Array;
}

export interface BlockRef {
  index: number;
  block: number;
}

export interface PiecePicker {
  /**
   * Choose up to `max` blocks to request from `peer` now. Must return only blocks of pieces
   * the peer has, that we do not have, that are wanted, and (unless in endgame) that are
   * Missing. Endgame is the picker's own policy: it may return Requested blocks not yet asked
   * of this peer when no Missing block remains.
   */
  /**
   * An empty answer is remembered: the engine asks again for this peer only once something
   * could have made a block pickable — a block given back (cancel, reject, choke, timeout), a
   * piece verified or failed, the peer announcing a piece, its choke or allowed-fast state, the
   * start of endgame — or at the next engine tick (1 s) at the latest, so a picker that answers
   * from time or randomness is never starved. (In simulated swarms, three picks in four came
   * back empty before this: a peer whose pieces are all being fetched from others.)
   */
  pick(view: PickerView, peer: PickerPeer, max: number, rng: Random): BlockRef[];
  /** Optional hook: a piece was verified (lets stateful pickers update caches). */
  pieceVerified?(index: number): void;
}

export interface PiecePickerPlugin extends PluginMeta {
  create(options: PluginOptions): PiecePicker;
}
