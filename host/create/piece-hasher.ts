import { createHash, type Hash } from 'node:crypto';

/**
 * Streaming v1 piece hashing (BEP3-META-5/9): feed the torrent's content in order, in chunks
 * of any size, across file boundaries; get the concatenated 20-byte SHA-1s back. It never
 * holds content: each chunk goes straight into the running SHA-1 of the current piece.
 */
export class PieceHasher {
  private hash: Hash = createHash('sha1');
  private inPiece = 0;
  private readonly digests: Buffer[] = [];
  private bytes = 0;

  constructor(readonly pieceLength: number) {
    if (!(Number.isSafeInteger(pieceLength) && pieceLength > 0)) throw new RangeError(`bad piece length ${pieceLength}`);
  }

  update(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      const take = Math.min(chunk.length - off, this.pieceLength - this.inPiece);
      this.hash.update(chunk.subarray(off, off + take));
      off += take;
      this.inPiece += take;
      if (this.inPiece === this.pieceLength) this.finishPiece();
    }
    this.bytes += chunk.length;
  }

  /** Bytes fed so far. */
  get length(): number { return this.bytes; }

  /** Close the last (short) piece and return all hashes. The hasher is spent afterwards. */
  digest(): Uint8Array {
    if (this.inPiece > 0) this.finishPiece();
    const out = new Uint8Array(this.digests.length * 20);
    this.digests.forEach((d, i) => out.set(d, i * 20));
    return out;
  }

  private finishPiece(): void {
    this.digests.push(this.hash.digest());
    this.hash = createHash('sha1');
    this.inPiece = 0;
  }
}
