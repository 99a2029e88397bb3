/**
 * A small, exact model of a torrent's download state, for the picker contract: the same
 * PickerView the engine's PieceState implements (core/torrent/piece-state.ts), but built from
 * plain arrays so a property test can set up any state and drive a whole download in
 * microseconds. Blocks move Missing → Requested (per-peer request sets, endgame duplicates
 * counted) → Received; a piece whose blocks are all Received is verified at once.
 */
import { BlockState, type PickerPeer, type PickerView } from '../../core/plugin-api/picker.js';

export class ModelView implements PickerView {
  readonly pieceCount: number;
  haveCount = 0;
  private readonly haveBits: Uint8Array;
  private readonly wantedBits: Uint8Array;
  readonly avail: Int32Array;
  private readonly blocks: Uint8Array[];
  private readonly reqs: Uint8Array[];

  constructor(readonly blocksPerPiece: readonly number[], wanted?: readonly boolean[], have?: readonly boolean[]) {
    this.pieceCount = blocksPerPiece.length;
    this.haveBits = new Uint8Array(this.pieceCount);
    this.wantedBits = Uint8Array.from(blocksPerPiece, (_, i) => (wanted && !wanted[i] ? 0 : 1));
    this.avail = new Int32Array(this.pieceCount);
    this.blocks = blocksPerPiece.map((n) => new Uint8Array(n));
    this.reqs = blocksPerPiece.map((n) => new Uint8Array(n));
    have?.forEach((h, i) => { if (h) this.markHave(i); });
  }

  have(i: number): boolean { return this.haveBits[i] === 1; }
  wanted(i: number): boolean { return this.wantedBits[i] === 1; }
  availability(i: number): number { return this.avail[i]; }
  blockCount(i: number): number { return this.blocksPerPiece[i]; }
  blockState(i: number, b: number): BlockState { return this.haveBits[i] ? BlockState.Received : (this.blocks[i][b] as BlockState); }
  requestCount(i: number, b: number): number { return this.haveBits[i] ? 0 : this.reqs[i][b]; }
  partialPieces(): readonly number[] {
    const out: number[] = [];
    for (let i = 0; i < this.pieceCount; i++) if (!this.haveBits[i] && this.blocks[i].some((s) => s !== BlockState.Missing)) out.push(i);
    return out;
  }
  get missingUnrequestedBlocks(): number {
    let n = 0;
    for (let i = 0; i < this.pieceCount; i++) {
      if (this.haveBits[i] || !this.wantedBits[i]) continue;
      for (const s of this.blocks[i]) if (s === BlockState.Missing) n++;
    }
    return n;
  }
  /** Every wanted piece verified. */
  get complete(): boolean {
    for (let i = 0; i < this.pieceCount; i++) if (this.wantedBits[i] && !this.haveBits[i]) return false;
    return true;
  }

  markHave(i: number): void {
    if (this.haveBits[i]) return;
    this.haveBits[i] = 1;
    this.haveCount++;
  }
  request(i: number, b: number): void {
    this.reqs[i][b]++;
    if (this.blocks[i][b] === BlockState.Missing) this.blocks[i][b] = BlockState.Requested;
  }
  unrequest(i: number, b: number): void {
    if (this.reqs[i][b] > 0) this.reqs[i][b]--;
    if (this.reqs[i][b] === 0 && this.blocks[i][b] === BlockState.Requested) this.blocks[i][b] = BlockState.Missing;
  }
  /** A block arrived; returns true when it completed (and verified) its piece. */
  receive(i: number, b: number): boolean {
    this.blocks[i][b] = BlockState.Received;
    if (this.blocks[i].every((s) => s === BlockState.Received)) { this.markHave(i); return true; }
    return false;
  }
}

export class ModelPeer implements PickerPeer {
  readonly outstanding = new Set<string>();
  choking = false;
  allowedFast: Set<number> = new Set();
  downloadRate = 0;
  constructor(readonly id: string, readonly hasPieces: Uint8Array) {} // 1 per piece the peer has (not the hasBits fast path)
  has(i: number): boolean { return this.hasPieces[i] === 1; }
  get haveCount(): number { let n = 0; for (const x of this.hasPieces) n += x; return n; }
  get pending(): number { return this.outstanding.size; }
  hasRequested(i: number, b: number): boolean { return this.outstanding.has(`${i}:${b}`); }
}
