import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { OpenedStore, StorageProvider } from '../../core/seam/storage.js';
import { silentLogger, type Logger } from '../../core/seam/host.js';
import type { TorrentInfo } from '../../core/metainfo/types.js';
import type { ResumeRecord } from '../../core/storage/resume-codec.js';
import { planResume } from '../../core/storage/resume-plan.js';
import { StorageError } from '../../core/util/errors.js';
import { createHashPool, type HashPool } from './hash-pool.js';
import { FsPieceStore } from './fs-piece-store.js';
import { torrentFilePaths } from './paths.js';
import { readResume, resumePath, stampFiles } from './resume-file.js';

export interface FsStorageOptions {
  /** Download folder: single-file torrents go to dir/name, multi-file to dir/name/path... */
  dir: string;
  /** SHA-1 worker threads (default: min(2, cores)); 0 hashes on the main thread. */
  hashWorkers?: number;
  /** Share a pool between providers (then `hashWorkers` is ignored and destroy() leaves it). */
  hashPool?: HashPool;
  /** Open file descriptors kept per torrent (LRU, default 64). */
  maxOpenFiles?: number;
  /** Memory cap for partial pieces per torrent (default 256 MiB). */
  maxBufferBytes?: number;
  /** Resume checkpoint once this many committed pieces are unrecorded (default: no limit)... */
  resumeEveryPieces?: number;
  /** ...or this many bytes of them (default 256 MiB)... */
  resumeEveryBytes?: number;
  /** ...or this many ms after the first unrecorded one (default 10 000). */
  resumeEveryMs?: number;
  /** Pieces read+hashed concurrently when rechecking (default 2 × workers + 2). */
  recheckParallel?: number;
  log?: Logger;
}

export interface OpenStats {
  /** Why the resume record was (not) used. */
  resume: string;
  trusted: number;
  rechecked: number;
  found: number;
}

export interface FsStorageProvider extends StorageProvider {
  readonly hashPool: HashPool;
  /** Figures of the last open() (for logs, tests and the bench). */
  lastOpen?: OpenStats;
  /** Stop the hash workers (idle workers never hold the process open, so this is optional). */
  destroy(): Promise<void>;
}

/** Real disk storage for the Node host (see README.md in this folder). */
export function createFsStorage(opts: FsStorageOptions): FsStorageProvider {
  const dir = resolve(opts.dir);
  const log = opts.log ?? silentLogger;
  const ownPool = !opts.hashPool;
  const pool = opts.hashPool ?? createHashPool(opts.hashWorkers ?? Math.min(2, availableParallelism()));
  const tune = {
    resumeEveryPieces: opts.resumeEveryPieces ?? Infinity,
    resumeEveryBytes: opts.resumeEveryBytes ?? 256 * 1024 * 1024,
    resumeEveryMs: opts.resumeEveryMs ?? 10_000,
    maxBufferBytes: opts.maxBufferBytes ?? 256 * 1024 * 1024,
    maxOpenFiles: opts.maxOpenFiles ?? 64,
    log,
  };
  const parallel = opts.recheckParallel ?? Math.max(2, 2 * pool.workers + 2);

  const provider: FsStorageProvider = {
    hashPool: pool,
    open(info: TorrentInfo, done: (err: Error | null, opened?: OpenedStore) => void): void {
      let paths: string[];
      try {
        if (info.pieces.length !== info.pieceCount * 20 || !(info.pieceLength > 0)) {
          throw new StorageError('piece hashes do not match the piece count', { pieces: info.pieces.length, pieceCount: info.pieceCount });
        }
        paths = torrentFilePaths(dir, info);
      } catch (e) {
        queueMicrotask(() => done(e as Error));
        return;
      }
      const rpath = resumePath(dir, info.infoHashHex);
      stampFiles(paths, (err, stamps) => {
        if (err || !stamps) return done(err);
        readResume(rpath, (rerr, rec?: ResumeRecord) => {
          if (rerr) log.log('warn', 'resume file unusable, rechecking', { path: rpath, err: rerr.message });
          const plan = planResume(info, rerr ? undefined : rec, stamps);
          const store = new FsPieceStore(info, paths, rpath, pool, tune, plan.trusted, dir);
          store.recheck(plan.recheck, parallel, (_e, found) => {
            provider.lastOpen = { resume: plan.reason, trusted: plan.trusted.filter(Boolean).length, rechecked: plan.recheck.length, found };
            // Record the state we start from at once, marked "not clean": from now on this
            // session may commit pieces the record does not list (see README, crash safety).
            store.checkpoint(false, (cerr) => {
              if (cerr) log.log('warn', 'cannot write resume file; continuing without fast resume', { path: rpath, err: cerr.message });
              done(null, { store, have: store.have.slice() });
            });
          });
        });
      });
    },
    async destroy() { if (ownPool) await pool.destroy(); },
  };
  return provider;
}
