import * as fs from 'node:fs';
import { dirname } from 'node:path';
import type { PieceStore } from '../../core/seam/storage.js';
import type { Logger } from '../../core/seam/host.js';
import { pieceSize, type TorrentInfo } from '../../core/metainfo/types.js';
import { emptyFilesByPiece, fileSpans, padRangesOfPiece, type FileSpan } from '../../core/storage/file-spans.js';
import { RangeSet } from '../../core/storage/range-set.js';
import { bytesEqual } from '../../core/util/bytes.js';
import { StorageError } from '../../core/util/errors.js';
import { FdCache, wrap } from './fd-cache.js';
import type { HashPool } from './hash-pool.js';
import { fsyncDir, stampFiles, writeResumeAtomic } from './resume-file.js';

export interface StoreTuning {
  /** Write a resume record once this many pieces are committed but not yet recorded... */
  resumeEveryPieces: number;
  /** ...or this many bytes of them... */
  resumeEveryBytes: number;
  /** ...or this long after the first unrecorded piece, whichever comes first. */
  resumeEveryMs: number;
  /** Cap on memory held by partial pieces (the engine limits them too; this is the guard). */
  maxBufferBytes: number;
  maxOpenFiles: number;
  log: Logger;
}

interface Partial {
  buf: Uint8Array;
  got: RangeSet;
  /** Hash or commit in progress: further blocks for this piece are ignored. */
  busy: boolean;
}

type Cb = (err: Error | null) => void;
const later = (fn: () => void): void => queueMicrotask(fn);

/**
 * One torrent's pieces on disk (see README.md in this folder for the life of a piece and the
 * durability rules). Hot path: a block is copied once, into the piece's SharedArrayBuffer; the
 * complete piece is hashed in a worker straight from that buffer and then written to its
 * file(s) with positioned writes from the same buffer, which then goes back to a free list.
 */
export class FsPieceStore implements PieceStore {
  readonly have: boolean[];
  /** Pieces the resume file on disk records (data fdatasync'd before it was written). */
  private readonly durable: boolean[];
  private readonly partial = new Map<number, Partial>();
  private readonly free: Uint8Array[] = [];
  private bufferBytes = 0;

  /** Memory held by piece buffers (the engine's backpressure signal, core/seam/storage.ts). */
  bufferedBytes(): number { return this.bufferBytes; }
  private readonly pads = new Map<number, Array<[number, number]>>();
  private readonly hasPads: boolean;
  private readonly emptyFiles: Map<number, number[]>;
  readonly fds: FdCache;

  private unrecorded: number[] = [];
  private dirtyFiles = new Set<number>();
  private ckRunning = false;
  private ckAgain: Cb[] | null = null;
  private ckAgainClean = false;
  private ckTimer: NodeJS.Timeout | null = null;

  private inflight = 0;
  private idleWaiters: Array<() => void> = [];
  private closing = false;
  private closed = false;
  private closeWaiters: Cb[] = [];

  constructor(
    private readonly info: TorrentInfo,
    private readonly paths: string[],
    private readonly resumeFile: string,
    private readonly pool: HashPool,
    private readonly tune: StoreTuning,
    trusted: boolean[],
    private readonly root: string,
  ) {
    this.have = trusted.slice();
    this.durable = trusted.slice();
    this.fds = new FdCache(tune.maxOpenFiles);
    this.hasPads = info.files.some((f) => f.attr.includes('p'));
    this.emptyFiles = emptyFilesByPiece(info);
  }

  // ---- PieceStore -------------------------------------------------------------------------

  write(index: number, begin: number, data: Uint8Array, done: Cb): void {
    const bad = this.usable(index) ?? this.rangeError(index, begin, data.length);
    if (bad) { later(() => done(bad)); return; }
    if (this.have[index]) { later(() => done(null)); return; }
    let p = this.partial.get(index);
    if (!p) {
      const made = this.startPiece(index);
      if (made instanceof Error) { later(() => done(made)); return; }
      p = made;
    }
    // A piece being hashed or committed is decided already; a repeated block changes nothing.
    if (!p.busy) {
      p.buf.set(data, begin);
      if (this.hasPads) this.zeroPads(index, p.buf, begin, begin + data.length);
      p.got.add(begin, begin + data.length);
    }
    later(() => done(null));
  }

  verify(index: number, done: (err: Error | null, ok?: boolean) => void): void {
    const bad = this.usable(index);
    if (bad) { later(() => done(bad)); return; }
    if (this.have[index]) { later(() => done(null, true)); return; }
    const size = pieceSize(this.info, index);
    let p = this.partial.get(index);
    if (!p && this.allPadding(index)) {
      const made = this.startPiece(index);
      if (made instanceof Error) { later(() => done(made)); return; }
      p = made;
    }
    if (!p || p.got.covered < size || p.busy) {
      const why = p?.busy ? 'verify already in progress' : 'verify before every block was written';
      const err = new StorageError(why, { piece: index, covered: p?.got.covered ?? 0, pieceSize: size });
      later(() => done(err));
      return;
    }
    const part = p;
    part.busy = true;
    this.inflight++;
    this.pool.sha1(part.buf.subarray(0, size), (err, digest) => {
      if (err || !digest) {
        part.busy = false; // the data is intact; the engine may retry verify
        this.settle();
        done(new StorageError(`hash failed: ${err?.message}`, { piece: index }));
        return;
      }
      if (!bytesEqual(digest, this.expected(index))) {
        this.dropPiece(index); // BEP 3: a piece that fails its hash is discarded whole
        this.settle();
        done(null, false);
        return;
      }
      this.commit(index, part.buf, (werr) => {
        this.dropPiece(index);
        if (werr) { this.settle(); done(werr); return; }
        this.have[index] = true;
        this.unrecorded.push(index);
        this.scheduleCheckpoint();
        this.settle();
        done(null, true);
      });
    });
  }

  read(index: number, begin: number, length: number, done: (err: Error | null, data?: Uint8Array) => void): void {
    const bad = this.usable(index) ?? this.rangeError(index, begin, length);
    if (bad) { later(() => done(bad)); return; }
    if (!this.have[index]) { later(() => done(new StorageError('read of a piece we do not have', { piece: index, begin, length }))); return; }
    const out = Buffer.allocUnsafe(length);
    this.inflight++;
    this.readSpans(fileSpans(this.info, index, begin, length), out, index, (err) => {
      this.settle();
      if (err) done(err); else done(null, out);
    });
  }

  close(done: Cb): void {
    if (this.closed) { later(() => done(null)); return; }
    if (this.closing) { this.closeWaiters.push(done); return; }
    this.closing = true;
    this.closeWaiters.push(done);
    this.whenIdle(() => {
      if (this.ckTimer) { clearTimeout(this.ckTimer); this.ckTimer = null; }
      for (const i of [...this.partial.keys()]) this.dropPiece(i);
      this.free.length = 0;
      this.checkpoint(true, (err) => {
        this.fds.closeAll((err2) => {
          this.closed = true;
          const ws = this.closeWaiters;
          this.closeWaiters = [];
          for (const w of ws) w(err ?? err2);
        });
      });
    });
  }

  // ---- open-time recheck ------------------------------------------------------------------

  /**
   * Hash pieces from disk (the plan's recheck list) with a few in flight, so reads and hashing
   * overlap. Pieces that verify become had and unrecorded: the next checkpoint fdatasyncs their
   * files (after a kill -9 their bytes may still sit only in the page cache) before recording.
   */
  recheck(pieces: number[], parallel: number, done: (err: Error | null, found: number) => void): void {
    let next = 0, running = 0, found = 0;
    const pump = (): void => {
      while (running < parallel && next < pieces.length) {
        const index = pieces[next++];
        running++;
        this.recheckOne(index, (ok) => {
          if (ok) {
            this.have[index] = true;
            this.unrecorded.push(index);
            for (const s of this.spansOf(index)) if (!s.pad) this.dirtyFiles.add(s.fileIndex);
            found++;
          }
          running--;
          if (next >= pieces.length && running === 0) done(null, found); else pump();
        });
      }
    };
    if (pieces.length === 0) { done(null, 0); return; }
    pump();
  }

  private recheckOne(index: number, done: (ok: boolean) => void): void {
    const buf = this.takeBuffer();
    const size = pieceSize(this.info, index);
    const view = buf.subarray(0, size);
    if (this.hasPads) for (const [s, e] of this.padRanges(index)) view.fill(0, s, e);
    this.readSpans(this.spansOf(index), view, index, (err) => {
      if (err) {
        this.tune.log.log('debug', 'recheck: piece unreadable', { piece: index, err: err.message });
        this.giveBuffer(buf);
        return done(false);
      }
      this.pool.sha1(view, (herr, digest) => {
        this.giveBuffer(buf);
        done(!herr && !!digest && bytesEqual(digest, this.expected(index)));
      });
    });
  }

  // ---- durability ------------------------------------------------------------------------

  private scheduleCheckpoint(): void {
    if (this.unrecorded.length >= this.tune.resumeEveryPieces || this.unrecorded.length * this.info.pieceLength >= this.tune.resumeEveryBytes) { this.checkpoint(false, this.logCkError); return; }
    if (!this.ckTimer) {
      this.ckTimer = setTimeout(() => { this.ckTimer = null; this.checkpoint(false, this.logCkError); }, this.tune.resumeEveryMs);
      this.ckTimer.unref();
    }
  }

  private readonly logCkError = (err: Error | null): void => {
    if (err) this.tune.log.log('warn', 'resume checkpoint failed (will retry)', { err: err.message, torrent: this.info.infoHashHex });
  };

  /**
   * Record committed pieces durably: (1) fdatasync every data file written since the last
   * record, (2) fsync the folders of newly created files, (3) stat the files, (4) atomically
   * replace the resume file. Only pieces committed before step 1 began are recorded, so the
   * record never names a piece whose bytes might not be on disk. One checkpoint at a time.
   */
  checkpoint(clean: boolean, done: Cb): void {
    if (this.ckRunning) { (this.ckAgain ??= []).push(done); this.ckAgainClean ||= clean; return; }
    this.ckRunning = true;
    if (this.ckTimer) { clearTimeout(this.ckTimer); this.ckTimer = null; }
    const pieces = this.unrecorded;
    const files = [...this.dirtyFiles];
    const created = this.fds.takeCreated();
    this.unrecorded = [];
    this.dirtyFiles = new Set();
    const finish = (err: Error | null): void => {
      if (err) {
        // Not recorded: keep them for the next attempt (their data is still on disk).
        this.unrecorded.push(...pieces);
        for (const f of files) this.dirtyFiles.add(f);
      } else {
        for (const i of pieces) this.durable[i] = true;
      }
      this.ckRunning = false;
      const again = this.ckAgain;
      const againClean = this.ckAgainClean;
      this.ckAgain = null;
      this.ckAgainClean = false;
      done(err);
      if (again) this.checkpoint(againClean, (e) => { for (const cb of again) cb(e); });
      else this.runIdle();
    };
    this.syncFiles(files, (e1) => {
      if (e1) return finish(e1);
      this.syncFolders(created, (e2) => {
        if (e2) return finish(e2);
        stampFiles(this.paths, (e3, stamps) => {
          if (e3 || !stamps) return finish(e3);
          const have = this.durable.slice();
          for (const i of pieces) have[i] = true;
          writeResumeAtomic(this.resumeFile, {
            infoHash: this.info.infoHash, pieceLength: this.info.pieceLength, pieceCount: this.info.pieceCount,
            have, clean, files: stamps,
          }, finish);
        });
      });
    });
  }

  private syncFiles(files: number[], done: Cb): void {
    this.each(files, (f, cb) => this.fds.acquire(this.paths[f], false, (err, lease) => {
      if (err || !lease) return cb(err);
      fs.fdatasync(lease.fd, (e) => { lease.release(); cb(e ? wrap('fdatasync failed', this.paths[f], e) : null); });
    }), done);
  }

  /** fsync the folder of each new file and every folder up to the download dir (mkdir -p made them). */
  private syncFolders(created: string[], done: Cb): void {
    const dirs = new Set<string>();
    for (const p of created) {
      for (let d = dirname(p); d.length >= this.root.length; d = dirname(d)) {
        dirs.add(d);
        if (d === this.root || d === dirname(d)) break;
      }
    }
    this.each([...dirs], (d, cb) => fsyncDir(d, cb), done);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private commit(index: number, buf: Uint8Array, done: Cb): void {
    const spans = this.spansOf(index).filter((s) => !s.pad);
    const empties = this.emptyFiles.get(index) ?? [];
    this.each(spans, (s, cb) => {
      this.fds.acquire(this.paths[s.fileIndex], true, (err, lease) => {
        if (err || !lease) return cb(withPiece(err, index));
        writeAll(lease.fd, buf, s.rangeOffset, s.length, s.fileOffset, (e) => {
          lease.release();
          // Marked dirty only once the write has completed: a checkpoint that takes the mark
          // then fdatasyncs bytes that are really in the file.
          if (!e) this.dirtyFiles.add(s.fileIndex);
          cb(e ? wrap('write failed', this.paths[s.fileIndex], e, { piece: index }) : null);
        });
      });
    }, (err) => {
      if (err) return done(err);
      // Zero-length files are created (O_CREAT) alongside the piece that holds their offset.
      this.each(empties, (f, cb) => this.fds.acquire(this.paths[f], true, (e, lease) => { lease?.release(); cb(withPiece(e, index)); }), done);
    });
  }

  private readSpans(spans: FileSpan[], out: Uint8Array, index: number, done: Cb): void {
    this.each(spans, (s, cb) => {
      if (s.pad) { out.fill(0, s.rangeOffset, s.rangeOffset + s.length); return cb(null); }
      this.fds.acquire(this.paths[s.fileIndex], false, (err, lease) => {
        if (err || !lease) return cb(withPiece(err, index));
        readAll(lease.fd, out, s.rangeOffset, s.length, s.fileOffset, (e, short) => {
          lease.release();
          if (e) return cb(wrap('read failed', this.paths[s.fileIndex], e, { piece: index }));
          if (short) return cb(new StorageError(`file shorter than the torrent says: ${this.paths[s.fileIndex]}`, { path: this.paths[s.fileIndex], piece: index }));
          cb(null);
        });
      });
    }, done);
  }

  /** Run `fn` on every item in parallel; first error wins, `done` once all have finished. */
  private each<T>(items: readonly T[], fn: (item: T, cb: Cb) => void, done: Cb): void {
    let left = items.length;
    let first: Error | null = null;
    if (left === 0) { done(null); return; }
    for (const it of items) fn(it, (err) => { if (err && !first) first = err; if (--left === 0) done(first); });
  }

  private spansOf(index: number): FileSpan[] { return fileSpans(this.info, index, 0, pieceSize(this.info, index)); }

  private expected(index: number): Uint8Array { return this.info.pieces.subarray(index * 20, index * 20 + 20); }

  private padRanges(index: number): Array<[number, number]> {
    let r = this.pads.get(index);
    if (!r) { r = padRangesOfPiece(this.info, index); if (this.pads.size > 4096) this.pads.clear(); this.pads.set(index, r); }
    return r;
  }

  private allPadding(index: number): boolean {
    return this.hasPads && this.spansOf(index).every((s) => s.pad);
  }

  /** BEP 47: padding bytes are zeros whatever a peer sends; the piece hash covers zeros. */
  private zeroPads(index: number, buf: Uint8Array, begin: number, end: number): void {
    for (const [s, e] of this.padRanges(index)) if (s < end && e > begin) buf.fill(0, Math.max(s, begin), Math.min(e, end));
  }

  private startPiece(index: number): Partial | StorageError {
    // One piece is always allowed, even when a single piece is bigger than the cap.
    if (this.bufferBytes > 0 && this.bufferBytes + this.info.pieceLength > this.tune.maxBufferBytes) {
      return new StorageError('too many partial pieces in memory', { piece: index, partial: this.partial.size, maxBufferBytes: this.tune.maxBufferBytes });
    }
    const buf = this.takeBuffer();
    const got = new RangeSet();
    if (this.hasPads) for (const [s, e] of this.padRanges(index)) { buf.fill(0, s, e); got.add(s, e); }
    const p: Partial = { buf, got, busy: false };
    this.partial.set(index, p);
    return p;
  }

  private dropPiece(index: number): void {
    const p = this.partial.get(index);
    if (!p) return;
    this.partial.delete(index);
    this.giveBuffer(p.buf);
  }

  /** Piece-sized buffers on SharedArrayBuffers (hash workers read them in place), recycled. */
  private takeBuffer(): Uint8Array {
    this.bufferBytes += this.info.pieceLength;
    return this.free.pop() ?? new Uint8Array(new SharedArrayBuffer(this.info.pieceLength));
  }

  private giveBuffer(b: Uint8Array): void {
    this.bufferBytes -= this.info.pieceLength;
    if (this.free.length < 8 && !this.closing) this.free.push(b);
  }

  private usable(index: number): StorageError | undefined {
    if (this.closing || this.closed) return new StorageError('store is closed', { piece: index });
    if (!Number.isInteger(index) || index < 0 || index >= this.info.pieceCount) {
      return new StorageError('piece index out of range', { piece: index, pieceCount: this.info.pieceCount });
    }
    return undefined;
  }

  private rangeError(index: number, begin: number, length: number): StorageError | undefined {
    const size = pieceSize(this.info, index);
    if (!Number.isInteger(begin) || begin < 0 || length < 0 || begin + length > size) {
      return new StorageError('range outside the piece', { piece: index, begin, length, pieceSize: size });
    }
    return undefined;
  }

  private settle(): void {
    this.inflight = Math.max(0, this.inflight - 1);
    this.runIdle();
  }

  private whenIdle(fn: () => void): void {
    this.idleWaiters.push(fn);
    this.runIdle();
  }

  private runIdle(): void {
    if (this.inflight > 0 || this.ckRunning || this.idleWaiters.length === 0) return;
    const ws = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of ws) w();
  }
}

function withPiece(err: Error | null | undefined, piece: number): Error | null {
  if (!err) return null;
  return err instanceof StorageError ? new StorageError(err.message.replace(/^storage: /, ''), { ...err.context, piece }) : err;
}

/** Positioned write of buf[off, off+len) at file position `pos`, looping over short writes. */
function writeAll(fd: number, buf: Uint8Array, off: number, len: number, pos: number, done: (e: NodeJS.ErrnoException | null) => void): void {
  fs.write(fd, buf, off, len, pos, (err, n) => {
    if (err) return done(err);
    if (n < len) return writeAll(fd, buf, off + n, len - n, pos + n, done);
    done(null);
  });
}

/** Positioned read into buf[off, off+len) from `pos`; `short` when the file ends first. */
function readAll(fd: number, buf: Uint8Array, off: number, len: number, pos: number, done: (e: NodeJS.ErrnoException | null, short?: boolean) => void): void {
  fs.read(fd, buf, off, len, pos, (err, n) => {
    if (err) return done(err);
    if (n === 0) return done(null, true);
    if (n < len) return readAll(fd, buf, off + n, len - n, pos + n, done);
    done(null, false);
  });
}
