import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync, mkdirSync, utimesSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TorrentInfo } from '../../core/metainfo/types.js';
import { pieceSize } from '../../core/metainfo/types.js';
import { bytesEqual, concatBytes } from '../../core/util/bytes.js';
import { decodeResume } from '../../core/storage/resume-codec.js';
import { StorageError } from '../../core/util/errors.js';
import { seededRandom } from '../../core/util/prng.js';
import { createFsStorage, type FsStorageOptions } from './fs-storage.js';
import { torrentFilePaths } from './paths.js';
import { resumePath } from './resume-file.js';
import { closeP, makeTorrent, openP, readP, verifyP, writeP, writePiece, type TestTorrentSpec } from './testing/make-torrent.js';

const made: string[] = [];
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'bt-lab-storage-')); made.push(d); return d; };
test.after.always(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

// Odd sizes, zero-length files at the start, middle and end, a piece length that is not a power
// of two and not a multiple of 16 KiB: pieces straddle up to three files (BEP3-META-9).
const MULTI: TestTorrentSpec = { lengths: [0, 1, 33333, 0, 70000, 5, 16384, 0], pieceLength: 20000, seed: 11 };

function storage(dir: string, extra: Partial<FsStorageOptions> = {}) {
  return createFsStorage({ dir, hashWorkers: 1, ...extra });
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const r = seededRandom(seed);
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) { const j = r.int(i + 1); [a[i], a[j]] = [a[j], a[i]]; }
  return a;
}

/** Every 16 KiB block of every piece, shuffled across pieces, with some blocks repeated. */
function allBlocks(info: TorrentInfo, seed: number): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i < info.pieceCount; i++) {
    const size = pieceSize(info, i);
    for (let b = 0; b < size; b += 16384) out.push([i, b, Math.min(16384, size - b)]);
  }
  return shuffled([...out, ...out.filter((_, k) => k % 3 === 0)], seed);
}

async function downloadAll(store: import('../../core/seam/storage.js').PieceStore, info: TorrentInfo, content: Uint8Array, seed: number) {
  const base = (i: number) => i * info.pieceLength;
  for (const [i, b, n] of allBlocks(info, seed)) await writeP(store, i, b, content.subarray(base(i) + b, base(i) + b + n));
  const oks = await Promise.all(Array.from({ length: info.pieceCount }, (_, i) => verifyP(store, i)));
  return oks;
}

function onDisk(dir: string, info: TorrentInfo): Array<Uint8Array | null> {
  return torrentFilePaths(dir, info).map((p) => (existsSync(p) ? new Uint8Array(readFileSync(p)) : null));
}

test('BEP3-META-9: multi-file, blocks in random order (some twice) → verify → read back and files equal the source', async (t) => {
  const dir = tmp();
  const { info, content } = makeTorrent(MULTI);
  const st = storage(dir);
  const { store, have } = await openP(st, info);
  t.deepEqual(have, new Array(info.pieceCount).fill(false));
  t.deepEqual(readdirSync(dir), ['.bt-lab'], 'files are created lazily, none before a block lands');
  t.deepEqual(await downloadAll(store, info, content, 1), new Array(info.pieceCount).fill(true));
  // Read back with odd block sizes across file boundaries.
  for (let i = 0; i < info.pieceCount; i++) {
    const size = pieceSize(info, i);
    for (let b = 0; b < size; b += 7001) {
      const n = Math.min(7001, size - b);
      t.true(bytesEqual(await readP(store, i, b, n), content.subarray(i * info.pieceLength + b, i * info.pieceLength + b + n)));
    }
  }
  await closeP(store);
  const files = onDisk(dir, info);
  info.files.forEach((f, k) => {
    t.truthy(files[k], `file ${k} exists (zero-length ones too)`);
    t.true(bytesEqual(files[k]!, content.subarray(f.offset, f.offset + f.length)), `file ${k} content`);
  });
  t.true(existsSync(resumePath(dir, info.infoHashHex)));
  await st.destroy();
});

test('a corrupt piece fails verify, is not written nor recorded, and can be downloaded again', async (t) => {
  const dir = tmp();
  const { info, content } = makeTorrent(MULTI);
  const st = storage(dir);
  const { store } = await openP(st, info);
  const bad = content.slice();
  bad[2 * info.pieceLength + 100] ^= 1; // piece 2 (inside file 4)
  bad[3 * info.pieceLength + 19999] ^= 1; // piece 3's last byte
  await writePiece(store, info, bad, 2);
  t.false(await verifyP(store, 2));
  t.deepEqual(readdirSync(dir), ['.bt-lab'], 'nothing of the failed piece reached the disk');
  await t.throwsAsync(readP(store, 2, 0, 10), { instanceOf: StorageError });
  // Its blocks were discarded: verifying again without new blocks is an error, not a pass.
  await t.throwsAsync(verifyP(store, 2), { instanceOf: StorageError, message: /every block/ });
  await writePiece(store, info, content, 2);
  t.true(await verifyP(store, 2));
  await writePiece(store, info, bad, 3);
  t.false(await verifyP(store, 3));
  await closeP(store);
  const again = await openP(st, info);
  t.deepEqual(again.have.map((h, i) => (h ? i : -1)).filter((i) => i >= 0), [2]);
  await closeP(again.store);
  await st.destroy();
});

test('fast resume: write half, close, reopen → have is exactly those pieces, nothing hashed', async (t) => {
  const dir = tmp();
  const { info, content } = makeTorrent({ lengths: [50000, 0, 90001, 3], pieceLength: 16384, seed: 3 });
  const st = storage(dir);
  const { store } = await openP(st, info);
  const half = shuffled([...Array(info.pieceCount).keys()], 9).slice(0, info.pieceCount >> 1).sort((a, b) => a - b);
  for (const i of half) { await writePiece(store, info, content, i); t.true(await verifyP(store, i)); }
  await closeP(store);
  const st2 = storage(dir);
  const again = await openP(st2, info);
  t.deepEqual(again.have.map((h, i) => (h ? i : -1)).filter((i) => i >= 0), half);
  t.like(st2.lastOpen, { resume: 'record used', rechecked: 0, trusted: half.length });
  for (const i of half) t.true(bytesEqual(await readP(again.store, i, 0, pieceSize(info, i)), content.subarray(i * 16384, i * 16384 + pieceSize(info, i))));
  await closeP(again.store);
  await Promise.all([st.destroy(), st2.destroy()]);
});

test('truncated file on disk → its pieces are not had; other pieces kept', async (t) => {
  const dir = tmp();
  const { info, content } = makeTorrent(MULTI);
  const st = storage(dir);
  const { store } = await openP(st, info);
  await downloadAll(store, info, content, 2);
  await closeP(store);
  const paths = torrentFilePaths(dir, info);
  truncateSync(paths[4], 30000); // file 4 = content [33334, 103334): pieces 1..5 touch it
  const again = await openP(st, info);
  const lost = again.have.map((h, i) => (h ? -1 : i)).filter((i) => i >= 0);
  // Pieces touching file 4 at or past byte 30000 of it: absolute 63334.. → pieces 3, 4, 5.
  t.deepEqual(lost, [3, 4, 5]);
  t.is(st.lastOpen!.resume, 'record used');
  await closeP(again.store);
  await st.destroy();
});

test('a file changed behind our back (same size, new mtime) → its pieces are rehashed', async (t) => {
  const dir = tmp();
  const { info, content } = makeTorrent(MULTI);
  const st = storage(dir);
  const { store } = await openP(st, info);
  await downloadAll(store, info, content, 4);
  await closeP(store);
  const p = torrentFilePaths(dir, info)[2];
  const b = readFileSync(p);
  b[0] ^= 0xff; // file 2 starts at byte 1: piece 0
  writeFileSync(p, b);
  utimesSync(p, new Date(2001, 1, 1), new Date(2001, 1, 1));
  const again = await openP(st, info);
  t.deepEqual(again.have.map((h, i) => (h ? -1 : i)).filter((i) => i >= 0), [0]);
  t.is(st.lastOpen!.rechecked, 2, 'only the pieces of file 2 were hashed');
  await closeP(again.store);
  await st.destroy();
});

test('seeding from existing data: no resume file, complete files → have all true (2 workers)', async (t) => {
  const dir = tmp();
  const { info, content } = makeTorrent({ ...MULTI, seed: 12 });
  torrentFilePaths(dir, info).forEach((p, k) => {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content.subarray(info.files[k].offset, info.files[k].offset + info.files[k].length));
  });
  const st = storage(dir, { hashWorkers: 2 });
  const { store, have } = await openP(st, info);
  t.true(have.every(Boolean));
  t.like(st.lastOpen, { resume: 'no record', rechecked: info.pieceCount, found: info.pieceCount });
  t.true(bytesEqual(await readP(store, 5, 0, pieceSize(info, 5)), content.subarray(5 * 20000)));
  await closeP(store);
  await st.destroy();
});

test('a corrupt or foreign resume file is ignored: full recheck', async (t) => {
  const dir = tmp();
  const { info, content } = makeTorrent(MULTI);
  const st = storage(dir);
  const { store } = await openP(st, info);
  for (const i of [0, 3, 5]) { await writePiece(store, info, content, i); await verifyP(store, i); }
  await closeP(store);
  writeFileSync(resumePath(dir, info.infoHashHex), 'd3:fooi1ee');
  const again = await openP(st, info);
  t.is(st.lastOpen!.resume, 'no record');
  t.deepEqual(again.have.map((h, i) => (h ? i : -1)).filter((i) => i >= 0), [0, 3, 5]);
  await closeP(again.store);
  await st.destroy();
});

test('single-file torrent lands at dir/name', async (t) => {
  const dir = tmp();
  const { info, content } = makeTorrent({ lengths: [100000], pieceLength: 32768, seed: 5, name: 'movie.mkv' });
  const st = storage(dir);
  const { store } = await openP(st, info);
  t.true((await downloadAll(store, info, content, 5)).every(Boolean));
  await closeP(store);
  t.true(bytesEqual(new Uint8Array(readFileSync(join(dir, 'movie.mkv'))), content));
  await st.destroy();
});

test('BEP 47: padding files are never created, read as zeros, and their bytes from peers are ignored', async (t) => {
  const dir = tmp();
  // file0 10000 + pad 6384 → file2 starts on a 16 KiB piece boundary; a pad-only piece in the middle.
  const spec = { lengths: [10000, 6384, 16384, 16384, 20000], pads: [false, true, false, true, false], pieceLength: 16384, seed: 6 };
  const { info, content } = makeTorrent(spec);
  const st = storage(dir);
  const { store } = await openP(st, info);
  const noisy = content.slice();
  noisy.fill(0xee, 10000, 16384); // a peer sends garbage for the padding: still zeros to the hash
  await writePiece(store, info, noisy, 0);
  t.true(await verifyP(store, 0));
  t.true(await verifyP(store, 2), 'an all-padding piece verifies without any block');
  await writePiece(store, info, content, 1);
  await writePiece(store, info, content, 3);
  await writeP(store, 4, 0, content.subarray(4 * 16384));
  t.true(await verifyP(store, 1));
  t.true(await verifyP(store, 3));
  t.true(await verifyP(store, 4));
  t.true(bytesEqual(await readP(store, 0, 9000, 3000), content.subarray(9000, 12000)));
  t.true(bytesEqual(await readP(store, 2, 0, 16384), new Uint8Array(16384)));
  await closeP(store);
  const paths = torrentFilePaths(dir, info);
  t.false(existsSync(paths[1]));
  t.false(existsSync(paths[3]));
  t.is(statSync(paths[4]).size, 20000);
  // Recheck from disk treats padding as zeros too.
  rmSync(resumePath(dir, info.infoHashHex));
  const again = await openP(st, info);
  t.true(again.have.every(Boolean));
  await closeP(again.store);
  await st.destroy();
});

test('path safety: names or components that escape the folder are refused before any I/O', async (t) => {
  const dir = tmp();
  const { info } = makeTorrent(MULTI);
  const st = storage(dir);
  const cases: Array<Partial<TorrentInfo>> = [
    { name: '..' },
    { name: '.bt-lab' },
    { name: '/etc' },
    { files: info.files.map((f, k) => (k === 2 ? { ...f, path: ['..', '..', 'evil'] } : f)) },
    { files: info.files.map((f, k) => (k === 2 ? { ...f, path: ['a/../../b'] } : f)) },
    { files: info.files.map((f, k) => (k === 2 ? { ...f, path: ['a\\..\\b'] } : f)) },
    { files: info.files.map((f, k) => (k === 2 ? { ...f, path: ['x\0y'] } : f)) },
    { files: info.files.map((f, k) => (k === 2 ? { ...f, path: [] } : f)) },
    { files: info.files.map((f, k) => (k === 2 ? { ...f, path: info.files[4].path } : f)) },
  ];
  for (const c of cases) {
    const err = await t.throwsAsync(openP(st, { ...info, ...c }), { instanceOf: StorageError });
    t.truthy(err?.context.path ?? err?.context.component, 'error names the path');
  }
  t.deepEqual(readdirSync(dir), []);
  // An empty path list means "the torrent folder itself" for a multi-file torrent: that is a
  // directory, and a name of '' would be the download dir: both refused above or here.
  t.throws(() => torrentFilePaths(dir, { ...info, name: '' }), { instanceOf: StorageError });
  await st.destroy();
});

test('typed errors: bad ranges, unknown pieces, early verify, memory cap, use after close', async (t) => {
  const dir = tmp();
  const { info, content } = makeTorrent(MULTI);
  const st = storage(dir, { maxBufferBytes: 2 * info.pieceLength });
  const { store } = await openP(st, info);
  await t.throwsAsync(writeP(store, 0, 19990, new Uint8Array(20)), { instanceOf: StorageError, message: /outside/ });
  await t.throwsAsync(writeP(store, 99, 0, new Uint8Array(1)), { instanceOf: StorageError, message: /out of range/ });
  await t.throwsAsync(writeP(store, 0, -1, new Uint8Array(1)), { instanceOf: StorageError });
  await t.throwsAsync(readP(store, 1, 0, 10), { instanceOf: StorageError, message: /do not have/ });
  await writeP(store, 0, 0, content.subarray(0, 16384));
  const early = await t.throwsAsync(verifyP(store, 0), { instanceOf: StorageError });
  t.is(early?.context.piece, 0);
  await writeP(store, 1, 0, new Uint8Array(10));
  await t.throwsAsync(writeP(store, 2, 0, new Uint8Array(10)), { instanceOf: StorageError, message: /too many partial/ });
  await closeP(store);
  await t.throwsAsync(writeP(store, 0, 0, new Uint8Array(1)), { instanceOf: StorageError, message: /closed/ });
  await st.destroy();
});

test('BEP3-META-4: an all-zero piece cannot pass verify on an untouched buffer', async (t) => {
  const dir = tmp();
  // Content is random; craft a torrent whose piece 0 hash is SHA-1 of zeros.
  const { info } = makeTorrent({ lengths: [32768], pieceLength: 16384, seed: 8 });
  const zeros = makeTorrent({ lengths: [32768], pieceLength: 16384, seed: 8, pads: [true] });
  const z = { ...info, pieces: zeros.info.pieces };
  const st = storage(dir);
  const { store } = await openP(st, z);
  await writeP(store, 0, 0, new Uint8Array(100));
  await t.throwsAsync(verifyP(store, 0), { instanceOf: StorageError });
  await writeP(store, 0, 100, new Uint8Array(16284));
  t.true(await verifyP(store, 0));
  await closeP(store);
  await st.destroy();
});

// ---- crash safety ---------------------------------------------------------------------------

const CRASH: TestTorrentSpec = { lengths: [100000, 0, 3000000, 12345, 0, 900000], pieceLength: 32768, seed: 21 };
const child = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'crash-child.js');

/** Run the crash child, SIGKILL it once it has acknowledged `killAfter` pieces; return those. */
function runAndKill(dir: string, killAfter: number, seed: number): Promise<{ acked: number[]; finished: boolean }> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [child, dir, JSON.stringify(CRASH), String(seed), '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked: number[] = [];
    let buf = '';
    let finished = false;
    const timer = setTimeout(() => p.kill('SIGKILL'), 20000);
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('ok ')) acked.push(Number(line.slice(3)));
        if (line === 'done') finished = true;
        if (acked.length === killAfter || finished) p.kill('SIGKILL');
      }
    });
    p.on('error', rej);
    // Lines already in the pipe when the kill landed were acknowledged before it: count them.
    p.on('close', () => { clearTimeout(timer); res({ acked, finished }); });
  });
}

test('kill -9 mid-download: every piece in `have` holds the right bytes, and no acknowledged piece is lost', async (t) => {
  const dir = tmp();
  const { info, content } = makeTorrent(CRASH);
  let total = 0, trustedTotal = 0, foundTotal = 0;
  // Three crashes in a row on the same folder, then a final clean open.
  for (const [round, killAfter] of [[1, 7], [2, 19], [3, 31]]) {
    const { acked, finished } = await runAndKill(dir, killAfter, round);
    t.false(finished, 'the kill landed mid-download');
    total += acked.length;
    // The record on disk right after the kill names only pieces whose bytes are in the files.
    const rec = decodeResume(new Uint8Array(readFileSync(resumePath(dir, info.infoHashHex))));
    t.false(rec.clean);
    const raw = concatBytes(onDisk(dir, info).map((f, k) => f ?? new Uint8Array(0)).map((f, k) => {
      const full = new Uint8Array(info.files[k].length); full.set(f.subarray(0, full.length)); return full;
    }));
    rec.have.forEach((h, i) => {
      if (h && !bytesEqual(raw.subarray(i * info.pieceLength, i * info.pieceLength + pieceSize(info, i)), content.subarray(i * info.pieceLength, i * info.pieceLength + pieceSize(info, i)))) {
        t.fail(`round ${round}: resume record lists piece ${i} but its bytes are not on disk`);
      }
    });
    const st = storage(dir, { hashWorkers: 2 });
    const { store, have } = await openP(st, info);
    for (const i of acked) t.true(have[i], `round ${round}: acknowledged piece ${i} survived`);
    for (let i = 0; i < info.pieceCount; i++) {
      if (!have[i]) continue;
      const got = await readP(store, i, 0, pieceSize(info, i));
      if (!bytesEqual(got, content.subarray(i * info.pieceLength, i * info.pieceLength + pieceSize(info, i)))) t.fail(`round ${round}: piece ${i} in have holds wrong bytes`);
    }
    t.is(st.lastOpen!.resume, 'record used', 'the crash left a (not clean) resume record');
    t.log(`round ${round}: ${acked.length} acked before the kill; reopen trusted ${st.lastOpen!.trusted}, hashed ${st.lastOpen!.rechecked}, found ${st.lastOpen!.found}`);
    trustedTotal += st.lastOpen!.trusted;
    foundTotal += st.lastOpen!.found;
    // Do not close: the next child must start from the crash state plus this open's record.
    await st.destroy();
  }
  t.true(total >= 7 + 19 + 31);
  // Both recovery paths ran: pieces trusted from crash records, and pieces acknowledged after
  // the last record found again by hashing.
  t.true(trustedTotal > 0 && foundTotal > 0, `trusted ${trustedTotal}, found ${foundTotal}`);
});
