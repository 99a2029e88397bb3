import type { OpenedStore, PieceStore, StorageProvider } from '../../core/seam/storage.js';
import type { TorrentInfo } from '../../core/metainfo/types.js';
import { pieceSize } from '../../core/metainfo/types.js';
import { BLOCK_SIZE } from '../../core/wire/types.js';
import { StorageError } from '../../core/util/errors.js';
import type { Kernel, NodeCtx } from '../kernel/kernel.js';
import { isBadData, virtualBlock } from './virtual-data.js';

export interface SimStorageOptions {
  /** Every piece present at open() (a seed), or a function choosing which. Default none. */
  seed?: boolean | ((info: TorrentInfo) => boolean[]);
  /** This node uploads corrupt data: read() returns bad virtual views. Default false. */
  bad?: boolean;
  /** Delay of every completion callback, ms. Default 0 (still a separate kernel event). */
  diskDelayMs?: number;
}

/** Counters a scenario can read after a run (summed over every torrent the provider opened). */
export interface SimStorageStats {
  blocksWritten: number;
  bytesWritten: number;
  blocksRead: number;
  verifiedOk: number;
  verifiedBad: number;
}

/**
 * Storage that keeps only which 16 KiB blocks are present — no payload bytes — so 1000 nodes
 * with a 1 GiB torrent cost a few bits per block each.
 *
 * verify(i) is decided by an ORACLE instead of SHA-1: it passes iff every block of the piece
 * is present and no block written since the last verify was a view of the BAD buffer (see
 * virtual-data.ts). Writes must be block-aligned (begin a multiple of 16 KiB, length 16 KiB or
 * the piece's tail); anything else is a StorageError, because a presence bitmap cannot honour
 * it and silently mis-modelling it would be worse.
 *
 * Every completion is delivered as a kernel event of the owning node, `diskDelayMs` later, so
 * storage completions take part in the deterministic order like everything else.
 */
export function createSimStorage(kernel: Kernel, ctx: NodeCtx, opts: SimStorageOptions = {}): StorageProvider & { stats: SimStorageStats } {
  const delay = opts.diskDelayMs ?? 0;
  const isBadNode = opts.bad ?? false;
  const stats: SimStorageStats = { blocksWritten: 0, bytesWritten: 0, blocksRead: 0, verifiedOk: 0, verifiedBad: 0 };
  const later = (fn: () => void): void => kernel.schedule(kernel.now + delay, fn, 0, ctx);

  return {
    stats,
    open(info, done): void {
      let have: boolean[];
      try {
        if (typeof opts.seed === 'function') {
          have = opts.seed(info);
          if (have.length !== info.pieceCount) throw new StorageError('seed() returned the wrong piece count', { expected: info.pieceCount, got: have.length });
        } else {
          have = new Array<boolean>(info.pieceCount).fill(opts.seed === true);
        }
      } catch (e) {
        later(() => done(e as Error));
        return;
      }
      const opened: OpenedStore = { store: new VirtualPieceStore(info, have, isBadNode, stats, later), have: have.slice() };
      later(() => done(null, opened));
    },
  };
}

interface Partial {
  present: Uint8Array;
  count: number;
  bad: boolean;
}

class VirtualPieceStore implements PieceStore {
  private readonly complete: Uint8Array;
  private readonly partial = new Map<number, Partial>();
  private closed = false;

  constructor(
    private readonly info: TorrentInfo,
    have: boolean[],
    private readonly isBadNode: boolean,
    private readonly stats: SimStorageStats,
    private readonly later: (fn: () => void) => void,
  ) {
    this.complete = new Uint8Array(info.pieceCount);
    for (let i = 0; i < have.length; i++) if (have[i]) this.complete[i] = 1;
  }

  write(index: number, begin: number, data: Uint8Array, done: (err: Error | null) => void): void {
    const err = this.checkRange(index, begin, data.length, true);
    if (err) { this.later(() => done(err)); return; }
    this.stats.blocksWritten++;
    this.stats.bytesWritten += data.length;
    if (this.complete[index] !== 1) {
      let p = this.partial.get(index);
      if (p === undefined) {
        p = { present: new Uint8Array(blocksIn(pieceSize(this.info, index))), count: 0, bad: false };
        this.partial.set(index, p);
      }
      const b = begin / BLOCK_SIZE;
      if (p.present[b] === 0) { p.present[b] = 1; p.count++; }
      if (isBadData(data)) p.bad = true;
    }
    this.later(() => done(null));
  }

  read(index: number, begin: number, length: number, done: (err: Error | null, data?: Uint8Array) => void): void {
    let err = this.checkRange(index, begin, length, false);
    if (!err && this.complete[index] !== 1) err = new StorageError('read of a piece we do not have', { index, begin, length });
    if (err) { this.later(() => done(err)); return; }
    this.stats.blocksRead++;
    const view = virtualBlock(length, this.isBadNode);
    this.later(() => done(null, view));
  }

  verify(index: number, done: (err: Error | null, ok?: boolean) => void): void {
    if (this.closed) { this.later(() => done(new StorageError('store is closed', { index }))); return; }
    if (!(Number.isInteger(index) && index >= 0 && index < this.info.pieceCount)) {
      this.later(() => done(new StorageError('piece index out of range', { index })));
      return;
    }
    let ok: boolean;
    if (this.complete[index] === 1) ok = true;
    else {
      const p = this.partial.get(index);
      ok = p !== undefined && !p.bad && p.count === p.present.length;
      this.partial.delete(index); // passed: now complete; failed: blocks discarded
      if (ok) this.complete[index] = 1;
      if (ok) this.stats.verifiedOk++;
      else this.stats.verifiedBad++;
    }
    this.later(() => done(null, ok));
  }

  close(done: (err: Error | null) => void): void {
    this.closed = true;
    this.later(() => done(null));
  }

  /** Pieces currently complete (for scenario statistics). */
  haveCount(): number {
    let n = 0;
    for (let i = 0; i < this.complete.length; i++) n += this.complete[i];
    return n;
  }

  private checkRange(index: number, begin: number, length: number, forWrite: boolean): StorageError | null {
    if (this.closed) return new StorageError('store is closed', { index });
    if (!(Number.isInteger(index) && index >= 0 && index < this.info.pieceCount)) return new StorageError('piece index out of range', { index });
    const size = pieceSize(this.info, index);
    if (!(Number.isInteger(begin) && Number.isInteger(length) && begin >= 0 && length > 0 && begin + length <= size)) {
      return new StorageError('block outside the piece', { index, begin, length, pieceSize: size });
    }
    if (forWrite && (begin % BLOCK_SIZE !== 0 || (length !== BLOCK_SIZE && !(begin + length === size && length < BLOCK_SIZE)))) {
      return new StorageError('sim storage needs 16 KiB-aligned blocks', { index, begin, length });
    }
    return null;
  }
}

function blocksIn(size: number): number {
  return Math.ceil(size / BLOCK_SIZE);
}
