import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { StorageError } from '../../core/util/errors.js';

/**
 * Open file descriptors, kept in a small LRU so a torrent with thousands of files does not run
 * out of fds while the common case (a few big files) never reopens anything. An fd in use by an
 * operation is never closed under it: eviction only picks idle entries, and the cache may run
 * over its limit briefly when every fd is busy.
 *
 * Files are opened read-write when they exist (so the same fd serves uploads and writes) and
 * read-only when that is refused (seeding from a read-only tree). Opening for write creates the
 * file and its parent folders: that is the only place files come into being (lazy creation).
 */
export interface FdLease { fd: number; release(): void }

interface Entry {
  fd: number;
  writable: boolean;
  refs: number;
  /** fds replaced by a writable reopen, closed when their last user releases them. */
  retired: boolean;
}

export class FdCache {
  private readonly entries = new Map<string, Entry>(); // Map order = LRU order (oldest first)
  private readonly opening = new Map<string, Array<(err: Error | null) => void>>();
  /** Paths created (O_CREAT) since the last takeCreated(): their folders need an fsync. */
  private created = new Set<string>();

  constructor(private readonly maxOpen = 64) {}

  /** Get an fd for `path`; `write` opens it read-write, creating the file and folders if needed. */
  acquire(path: string, write: boolean, done: (err: Error | null, lease?: FdLease) => void): void {
    const e = this.entries.get(path);
    if (e && (e.writable || !write)) {
      this.entries.delete(path); this.entries.set(path, e); // touch
      e.refs++;
      done(null, this.lease(path, e));
      return;
    }
    const waiters = this.opening.get(path);
    const retry = (err: Error | null): void => (err ? done(err) : this.acquire(path, write, done));
    if (waiters) { waiters.push(retry); return; }
    this.opening.set(path, [retry]);
    this.open(path, write, (err, entry) => {
      const list = this.opening.get(path) ?? [];
      this.opening.delete(path);
      if (!err && entry) {
        const old = this.entries.get(path);
        if (old) { this.entries.delete(path); old.retired = true; if (old.refs === 0) fs.close(old.fd, () => {}); }
        this.entries.set(path, entry);
      }
      // Waiters take their leases first, so eviction cannot close the fd they were waiting for.
      for (const w of list) w(err);
      this.evict();
    });
  }

  private lease(path: string, e: Entry): FdLease {
    let released = false;
    return {
      fd: e.fd,
      release: () => {
        if (released) return;
        released = true;
        e.refs--;
        if (e.refs === 0 && e.retired) fs.close(e.fd, () => {});
        else if (e.refs === 0) this.evict();
      },
    };
  }

  private open(path: string, write: boolean, done: (err: Error | null, e?: Entry) => void): void {
    const { O_RDWR, O_RDONLY, O_CREAT } = fs.constants;
    const mk = (fd: number, writable: boolean): Entry => ({ fd, writable, refs: 0, retired: false });
    if (write) {
      fs.open(path, O_RDWR, (err, fd) => {
        if (!err) return done(null, mk(fd, true));
        if (err.code !== 'ENOENT') return done(wrap('cannot open for writing', path, err));
        fs.mkdir(dirname(path), { recursive: true }, (err2) => {
          if (err2) return done(wrap('cannot create folder', dirname(path), err2));
          fs.open(path, O_RDWR | O_CREAT, 0o666, (err3, fd3) => {
            if (err3) return done(wrap('cannot create file', path, err3));
            this.created.add(path);
            done(null, mk(fd3, true));
          });
        });
      });
      return;
    }
    fs.open(path, O_RDWR, (err, fd) => {
      if (!err) return done(null, mk(fd, true));
      if (err.code !== 'EACCES' && err.code !== 'EROFS' && err.code !== 'EPERM') return done(wrap('cannot open', path, err));
      fs.open(path, O_RDONLY, (err2, fd2) => (err2 ? done(wrap('cannot open', path, err2)) : done(null, mk(fd2, false))));
    });
  }

  private evict(): void {
    if (this.entries.size <= this.maxOpen) return;
    for (const [path, e] of this.entries) {
      if (this.entries.size <= this.maxOpen) break;
      if (e.refs > 0) continue;
      this.entries.delete(path);
      fs.close(e.fd, () => {});
    }
  }

  /** Files created since the last call (their parent folders must be fsync'd for durability). */
  takeCreated(): string[] {
    const out = [...this.created];
    this.created = new Set();
    return out;
  }

  get openCount(): number { return this.entries.size; }

  /** Close every idle fd (call once all operations have finished). */
  closeAll(done: (err: Error | null) => void): void {
    const fds = [...this.entries.values()].map((e) => e.fd);
    this.entries.clear();
    if (fds.length === 0) { done(null); return; }
    let left = fds.length;
    let first: Error | null = null;
    for (const fd of fds) {
      fs.close(fd, (err) => {
        if (err && !first) first = new StorageError('close failed', { cause: err.message });
        if (--left === 0) done(first);
      });
    }
  }
}

export function wrap(reason: string, path: string, err: NodeJS.ErrnoException, extra: Record<string, unknown> = {}): StorageError {
  return new StorageError(`${reason}: ${path}: ${err.code ?? err.message}`, { path, errno: err.code, cause: err.message, ...extra });
}
