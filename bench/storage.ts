/**
 * Storage benchmark (issue #3 item 5): how fast the disk store takes 16 KiB blocks, hashes and
 * commits them, and how fast it rechecks existing data.
 *
 *   node dist/bench/storage.js [--mib 1024] [--piece-kib 256] [--workers 0,1,2] [--inflight 32]
 *                              [--resume-every-mib 256]
 *
 * Content is a 4 MiB random pattern repeated (piece hashes are computed once per distinct
 * piece); the store still hashes and writes every byte. Figures:
 * - write+verify: first block → last piece acknowledged (data in the page cache, as an engine
 *   sees it), and → close() returned (includes the final fdatasync of everything);
 * - main-thread event-loop utilisation during write+verify (what is left for the wire);
 * - recheck: open() with no resume file on complete files, page cache warm (dropping caches
 *   needs root and would disturb the other users of the machine).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TorrentInfo } from '../core/metainfo/types.js';
import { pieceSize } from '../core/metainfo/types.js';
import type { PieceStore } from '../core/seam/storage.js';
import { toHex, utf8 } from '../core/util/bytes.js';
import { seededRandom } from '../core/util/prng.js';
import { sha1 } from '../core/util/sha1.js';
import { createFsStorage } from '../host/storage/fs-storage.js';
import { resumePath } from '../host/storage/resume-file.js';
import { closeP, openP } from '../host/storage/testing/make-torrent.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const MIB = 1 << 20;
const total = Number(arg('mib', '1024')) * MIB;
const pieceLength = Number(arg('piece-kib', '256')) * 1024;
const workerCounts = arg('workers', '0,1,2').split(',').map(Number);
const inflight = Number(arg('inflight', '32'));
const resumeEveryMiB = Number(arg('resume-every-mib', '256'));
const BLOCK = 16384;

const PATTERN = 4 * MIB;
const pattern = seededRandom('bench-storage').bytes(PATTERN);
const byteAt = (abs: number, n: number): Uint8Array => {
  const o = abs % PATTERN;
  return o + n <= PATTERN ? pattern.subarray(o, o + n) : new Uint8Array([...pattern.subarray(o), ...pattern.subarray(0, n - (PATTERN - o))]);
};

function makeInfo(): TorrentInfo {
  const pieceCount = Math.ceil(total / pieceLength);
  const pieces = new Uint8Array(pieceCount * 20);
  const cache = new Map<string, Uint8Array>();
  for (let i = 0; i < pieceCount; i++) {
    const start = i * pieceLength;
    const size = Math.min(pieceLength, total - start);
    const key = `${start % PATTERN}:${size}`;
    let h = cache.get(key);
    if (!h) { h = sha1(byteAt(start, size)); cache.set(key, h); }
    pieces.set(h, i * 20);
  }
  const infoHash = sha1(utf8(`bench ${total} ${pieceLength}`));
  return {
    infoHash, infoHashHex: toHex(infoHash), name: 'bench.bin', pieceLength, pieces, pieceCount, totalLength: total,
    files: [{ path: ['bench.bin'], length: total, offset: 0, attr: '' }], multiFile: false, private: false, rawInfo: new Uint8Array(0),
  };
}

/** Drive the store like an engine at full speed: `inflight` pieces receiving blocks at once. */
function download(store: PieceStore, info: TorrentInfo): Promise<void> {
  return new Promise((res, rej) => {
    let next = 0, running = 0, done = 0;
    const startPiece = (): void => {
      const i = next++;
      running++;
      const size = pieceSize(info, i);
      let left = Math.ceil(size / BLOCK);
      for (let b = 0; b < size; b += BLOCK) {
        const n = Math.min(BLOCK, size - b);
        store.write(i, b, byteAt(i * pieceLength + b, n), (err) => {
          if (err) return rej(err);
          if (--left > 0) return;
          store.verify(i, (e, ok) => {
            if (e || !ok) return rej(e ?? new Error(`piece ${i} failed`));
            running--; done++;
            if (done === info.pieceCount) return res();
            while (running < inflight && next < info.pieceCount) startPiece();
          });
        });
      }
    };
    while (running < inflight && next < info.pieceCount) startPiece();
  });
}

const mbps = (bytes: number, ms: number): string => `${(bytes / MIB / (ms / 1000)).toFixed(0)} MiB/s`;

const info = makeInfo();
console.log(`storage bench: ${total / MIB} MiB, piece ${pieceLength / 1024} KiB (${info.pieceCount} pieces), ${inflight} pieces in flight, resume record every ${resumeEveryMiB} MiB, node ${process.version}`);
for (const workers of workerCounts) {
  const dir = mkdtempSync(join(tmpdir(), 'bt-lab-bench-storage-'));
  try {
    const st = createFsStorage({ dir, hashWorkers: workers, resumeEveryBytes: resumeEveryMiB * MIB });
    const { store } = await openP(st, info);
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    await download(store, info);
    const t1 = performance.now();
    const elu = performance.eventLoopUtilization(elu0);
    await closeP(store);
    const t2 = performance.now();
    rmSync(resumePath(dir, info.infoHashHex));
    const t3 = performance.now();
    const again = await openP(st, info);
    const t4 = performance.now();
    if (!again.have.every(Boolean)) throw new Error('recheck did not find every piece');
    await closeP(again.store);
    await st.destroy();
    console.log(`workers=${workers}: write+verify ${mbps(total, t1 - t0)} (${(t1 - t0).toFixed(0)} ms, main thread busy ${(elu.utilization * 100).toFixed(0)} %), ` +
      `incl. close/fdatasync ${mbps(total, t2 - t0)}; recheck (warm cache) ${mbps(total, t4 - t3)} (${(t4 - t3).toFixed(0)} ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
