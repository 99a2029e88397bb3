import { bytesEqual } from '../util/bytes.js';
import { ProtocolError } from '../util/errors.js';
import { sha1 } from '../util/sha1.js';
import { METADATA_PIECE_SIZE } from './messages.js';

/**
 * Collects ut_metadata pieces into the info dict (BEP9-META-1/2): pieces of 16384 bytes from
 * index 0, only the last one shorter. When the last missing piece arrives the whole is checked
 * against the info hash; on a mismatch everything is thrown away (and the caller learns who
 * contributed, to blame them), on a match the raw info bytes are available.
 */
/** Sanity cap on metadata_size: real info dicts are well under this; larger means hostile. */
export const MAX_METADATA_SIZE = 8 * 1024 * 1024;

export function metadataPieceCount(size: number): number {
  return Math.ceil(size / METADATA_PIECE_SIZE);
}

/** META-2: every piece is 16384 bytes except the last. */
export function metadataPieceLength(size: number, piece: number): number {
  const count = metadataPieceCount(size);
  if (piece < 0 || piece >= count) return 0;
  return piece === count - 1 ? size - piece * METADATA_PIECE_SIZE : METADATA_PIECE_SIZE;
}

export function checkMetadataSize(size: number, max = MAX_METADATA_SIZE): void {
  if (!Number.isSafeInteger(size) || size <= 0 || size > max) throw new ProtocolError(`metadata_size ${size} is out of range (1..${max})`, { size });
}

export type AddResult =
  | { status: 'stored' }
  | { status: 'duplicate' }
  | { status: 'complete'; info: Uint8Array }
  /** Hash check failed; the assembler was reset. `contributors` sent the pieces. */
  | { status: 'mismatch'; contributors: string[] };

export class MetadataAssembler {
  readonly pieceCount: number;
  private pieces: Array<Uint8Array | undefined>;
  private from: Array<string | undefined>;
  private stored = 0;
  private done?: Uint8Array;

  constructor(readonly infoHash: Uint8Array, readonly size: number, maxSize = MAX_METADATA_SIZE) {
    checkMetadataSize(size, maxSize);
    this.pieceCount = metadataPieceCount(size);
    this.pieces = new Array(this.pieceCount);
    this.from = new Array(this.pieceCount);
  }

  get complete(): boolean { return this.done !== undefined; }
  get info(): Uint8Array | undefined { return this.done; }
  has(piece: number): boolean { return this.pieces[piece] !== undefined; }
  missing(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.pieceCount; i++) if (!this.pieces[i]) out.push(i);
    return out;
  }

  /**
   * Add a data piece. A wrong index, size or total_size is the sender's fault: ProtocolError
   * (the caller drops or blames that peer; the assembler is unchanged).
   */
  add(piece: number, data: Uint8Array, source = '', totalSize: number = this.size): AddResult {
    if (this.done) return { status: 'duplicate' };
    if (totalSize !== this.size) throw new ProtocolError(`ut_metadata: total_size ${totalSize} ≠ ${this.size}`, { piece, source });
    if (!Number.isInteger(piece) || piece < 0 || piece >= this.pieceCount) throw new ProtocolError(`ut_metadata: piece ${piece} out of range`, { piece, source });
    const want = metadataPieceLength(this.size, piece);
    if (data.length !== want) throw new ProtocolError(`ut_metadata: piece ${piece} is ${data.length} bytes, expected ${want}`, { piece, source });
    if (this.pieces[piece]) return { status: 'duplicate' };
    this.pieces[piece] = data;
    this.from[piece] = source;
    if (++this.stored < this.pieceCount) return { status: 'stored' };
    const all = new Uint8Array(this.size);
    this.pieces.forEach((p, i) => all.set(p!, i * METADATA_PIECE_SIZE));
    if (bytesEqual(sha1(all), this.infoHash)) { this.done = all; return { status: 'complete', info: all }; } // META-1
    const contributors = [...new Set(this.from.filter((s): s is string => s !== undefined))];
    this.reset();
    return { status: 'mismatch', contributors };
  }

  reset(): void {
    this.pieces = new Array(this.pieceCount);
    this.from = new Array(this.pieceCount);
    this.stored = 0;
    this.done = undefined;
  }
}
