import { BlockState, type PickerView, type PieceArrays } from '../plugin-api/picker.js';
import { pieceSize, type PieceGeometry } from '../metainfo/types.js';
import { BLOCK_SIZE } from '../wire/types.js';

/** Per-block bookkeeping of a piece being downloaded. */
export interface PartialPiece {
  index: number;
  state: Uint8Array; // BlockState per block
  requests: Uint8Array; // peers that have this block requested (endgame may exceed 1)
  /** Which peer delivered each block (for hash-failure blame). */
  from: Array<string | undefined>;
  received: number;
  /** Blocks in state Missing (neither requested nor received). */
  missing: number;
  /** After a hash failure with mixed contributors, the re-download goes to one peer only. */
  exclusiveTo?: string;
  verifying: boolean;
}

/**
 * The torrent's download state: verified pieces, availability among connected peers, and the
 * blocks of partial pieces. It is the PickerView handed to the piece-picker plugin, and the
 * engine's single source of truth for "what is missing".
 */
export class PieceState implements PickerView {
  readonly pieceCount: number;
  private readonly haveBits: Uint8Array;
  private readonly wantedBits: Uint8Array;
  private readonly avail: Int32Array;
  private readonly partials = new Map<number, PartialPiece>();
  private partialList: number[] | null = null;
  haveCount = 0;
  /** Σ over wanted missing pieces of blocks neither received nor requested. */
  missingUnrequestedBlocks = 0;
  /** Number of wanted pieces we lack. */
  wantedMissing = 0;
  /** Bytes of verified data. */
  haveBytes = 0;
  /**
   * Bumped by every change that can make a block pickable again (a block back to Missing, a
   * piece verified or failed). The engine keys its "this peer had nothing to pick" memo on it.
   */
  version = 0;

  constructor(readonly geo: PieceGeometry, have: boolean[] | null, wanted?: boolean[]) {
    this.pieceCount = geo.pieceCount;
    this.haveBits = new Uint8Array(this.pieceCount);
    this.wantedBits = new Uint8Array(this.pieceCount).fill(1);
    this.avail = new Int32Array(this.pieceCount);
    for (let i = 0; i < this.pieceCount; i++) {
      if (wanted && !wanted[i]) this.wantedBits[i] = 0;
      if (have?.[i]) { this.haveBits[i] = 1; this.haveCount++; this.haveBytes += pieceSize(geo, i); }
      else if (this.wantedBits[i]) { this.wantedMissing++; this.missingUnrequestedBlocks += this.blockCount(i); }
    }
  }

  have(i: number): boolean { return this.haveBits[i] === 1; }
  wanted(i: number): boolean { return this.wantedBits[i] === 1; }
  availability(i: number): number { return this.avail[i]; }
  blockCount(i: number): number { return Math.ceil(pieceSize(this.geo, i) / BLOCK_SIZE); }
  blockLength(i: number, b: number): number {
    const size = pieceSize(this.geo, i);
    return Math.min(BLOCK_SIZE, size - b * BLOCK_SIZE);
  }
  blockState(i: number, b: number): BlockState {
    if (this.haveBits[i]) return BlockState.Received;
    const p = this.partials.get(i);
    return p ? (p.state[b] as BlockState) : BlockState.Missing;
  }
  /** Blocks of piece i neither requested nor received, in O(1) (PickerView fast path). */
  missingBlocks(i: number): number {
    if (this.haveBits[i]) return 0;
    const p = this.partials.get(i);
    return p ? p.missing : this.blockCount(i);
  }
  requestCount(i: number, b: number): number { return this.partials.get(i)?.requests[b] ?? 0; }
  partialPieces(): readonly number[] {
    if (!this.partialList) this.partialList = [...this.partials.keys()];
    return this.partialList;
  }
  partial(i: number): PartialPiece | undefined { return this.partials.get(i); }
  /** True when every wanted piece is verified. */
  get complete(): boolean { return this.wantedMissing === 0; }
  haveArray(): Uint8Array { return this.haveBits; }
  private arrays?: PieceArrays;
  pieceArrays(): PieceArrays {
    return (this.arrays ??= { have: this.haveBits, wanted: this.wantedBits, availability: this.avail });
  }

  // --- availability (peers' haves) ---
  addAvailability(i: number, d: 1 | -1): void { this.avail[i] += d; }
  addAvailabilityAll(d: 1 | -1): void { for (let i = 0; i < this.pieceCount; i++) this.avail[i] += d; }

  // --- block transitions, called by the engine ---
  private ensure(i: number): PartialPiece {
    let p = this.partials.get(i);
    if (!p) {
      const n = this.blockCount(i);
      p = { index: i, state: new Uint8Array(n), requests: new Uint8Array(n), from: new Array(n), received: 0, missing: n, verifying: false };
      this.partials.set(i, p);
      this.partialList = null;
    }
    return p;
  }

  /** A request for block b was sent to a peer. */
  requested(i: number, b: number): void {
    const p = this.ensure(i);
    if (p.state[b] === BlockState.Missing) { p.state[b] = BlockState.Requested; p.missing--; this.missingUnrequestedBlocks--; }
    if (p.requests[b] < 255) p.requests[b]++;
  }

  /** A request was cancelled, rejected, timed out or dropped by a choke. */
  unrequested(i: number, b: number): void {
    const p = this.partials.get(i);
    if (!p) return;
    if (p.requests[b] > 0) p.requests[b]--;
    if (p.requests[b] === 0 && p.state[b] === BlockState.Requested) {
      p.state[b] = BlockState.Missing;
      p.missing++;
      this.missingUnrequestedBlocks++;
      this.version++;
      if (p.received === 0 && !p.requests.some((x) => x > 0) && p.exclusiveTo === undefined) {
        this.partials.delete(i);
        this.partialList = null;
      }
    }
  }

  /** Block data arrived. Returns true if it was new (not a duplicate) — the caller stores it. */
  received(i: number, b: number, from: string): boolean {
    if (this.haveBits[i]) return false;
    const p = this.ensure(i);
    if (p.state[b] === BlockState.Received) return false;
    if (p.state[b] === BlockState.Missing) { p.missing--; this.missingUnrequestedBlocks--; }
    p.state[b] = BlockState.Received;
    p.from[b] = from;
    p.received++;
    return true;
  }

  /** All blocks of the piece are in. */
  isFull(i: number): boolean {
    const p = this.partials.get(i);
    return !!p && p.received === p.state.length;
  }

  /** The piece verified: it is ours for good. */
  verified(i: number): void {
    if (this.haveBits[i]) return;
    this.partials.delete(i);
    this.partialList = null;
    this.haveBits[i] = 1;
    this.haveCount++;
    this.haveBytes += pieceSize(this.geo, i);
    if (this.wantedBits[i]) this.wantedMissing--;
    this.version++;
  }

  /** The piece failed its hash: all blocks become missing again. Returns who sent what. */
  failed(i: number): Array<string | undefined> {
    const p = this.partials.get(i);
    if (!p) return [];
    const from = p.from.slice();
    for (let b = 0; b < p.state.length; b++) {
      if (p.state[b] !== BlockState.Missing) this.missingUnrequestedBlocks++;
      p.state[b] = BlockState.Missing;
      p.requests[b] = 0;
      p.from[b] = undefined;
    }
    p.received = 0;
    p.missing = p.state.length;
    p.verifying = false;
    this.version++;
    return from;
  }
}
