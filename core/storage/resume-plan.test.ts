import test from 'ava';
import type { FileEntry } from '../metainfo/types.js';
import type { FileStamp, ResumeRecord } from './resume-codec.js';
import { planResume } from './resume-plan.js';

// Three files of 6, 0 and 10 bytes (one padding file optional), 4-byte pieces:
// piece 0 = f0[0..4), piece 1 = f0[4..6)+f2[0..2), pieces 2,3 = f2[2..10).
function info(padMiddle = false) {
  const lens = [6, padMiddle ? 2 : 0, 10];
  let offset = 0;
  const files: FileEntry[] = lens.map((length, i) => { const f = { path: [`f${i}`], length, offset, attr: padMiddle && i === 1 ? 'p' : '' }; offset += length; return f; });
  return { infoHash: new Uint8Array(20).fill(7), files, pieceLength: 4, totalLength: offset, pieceCount: Math.ceil(offset / 4) };
}
const st = (size: number, mtimeNs = 1n): FileStamp => ({ size, mtimeNs });
const rec = (have: boolean[], clean: boolean, files: Array<FileStamp | null>): ResumeRecord =>
  ({ infoHash: new Uint8Array(20).fill(7), pieceLength: 4, pieceCount: have.length, have, clean, files });

test('no record: every piece whose bytes exist is rechecked; missing/short files are skipped', (t) => {
  const p = planResume(info(), undefined, [st(6), null, st(5)]);
  t.is(p.reason, 'no record');
  t.deepEqual(p.recheck, [0, 1]); // piece 1 needs f2[0..2): present; piece 2 needs f2 up to 6: short
  t.deepEqual(planResume(info(), undefined, [st(6), null, st(6)]).recheck, [0, 1, 2]);
  t.false(p.trusted.some(Boolean));
});

test('clean record matching the disk is trusted as is: no hashing at all', (t) => {
  const files = [st(6, 5n), null, st(10, 9n)];
  const p = planResume(info(), rec([true, false, true, true], true, files), files);
  t.deepEqual(p.trusted, [true, false, true, true]);
  t.deepEqual(p.recheck, []);
});

test('crash record (not clean): listed pieces trusted, unlisted present pieces rechecked', (t) => {
  const files = [st(6, 5n), null, st(10, 9n)];
  const p = planResume(info(), rec([true, false, false, true], false, files), files);
  t.deepEqual(p.trusted, [true, false, false, true]);
  t.deepEqual(p.recheck, [1, 2]);
});

test('crash record: our own later writes (bigger, newer files) keep listed pieces trusted', (t) => {
  const rf = [st(6, 5n), null, st(4, 9n)];
  const p = planResume(info(), rec([true, true, false, false], false, rf), [st(6, 7n), null, st(10, 12n)]);
  t.deepEqual(p.trusted, [true, true, false, false]);
  t.deepEqual(p.recheck, [2, 3]);
  // A file that shrank or went back in time was touched by someone else: hash its pieces.
  const q = planResume(info(), rec([true, true, true, false], false, [st(6, 5n), null, st(10, 9n)]), [st(6, 5n), null, st(10, 8n)]);
  t.deepEqual(q.trusted, [true, false, false, false]);
  t.deepEqual(q.recheck, [1, 2, 3]);
});

test('a file whose size or mtime changed: its pieces are rechecked, others still trusted', (t) => {
  const rf = [st(6, 5n), null, st(10, 9n)];
  const p = planResume(info(), rec([true, true, true, true], true, rf), [st(6, 5n), null, st(10, 10n)]);
  t.deepEqual(p.trusted, [true, false, false, false]);
  t.deepEqual(p.recheck, [1, 2, 3]);
  // Truncated: pieces past the new end are neither trusted nor hashed.
  const q = planResume(info(), rec([true, true, true, true], true, rf), [st(6, 5n), null, st(4, 11n)]);
  t.deepEqual(q.trusted, [true, false, false, false]);
  t.deepEqual(q.recheck, [1]);
});

test('a record for another torrent or geometry is ignored', (t) => {
  const files = [st(6), null, st(10)];
  const other = { ...rec([true, true, true, true], true, files), infoHash: new Uint8Array(20) };
  const p = planResume(info(), other, files);
  t.is(p.reason, 'record for another torrent');
  t.deepEqual(p.recheck, [0, 1, 2, 3]);
  t.deepEqual(planResume(info(), { ...rec([true, true, true, true], true, files), pieceLength: 8 }, files).recheck, [0, 1, 2, 3]);
});

test('BEP 47: padding bytes never need to exist on disk', (t) => {
  // f0 6 bytes, pad 2 bytes, f2 10 bytes: piece 1 = f0[4..6) + pad; the pad file is absent.
  const p = planResume(info(true), undefined, [st(6), null, st(10)]);
  t.deepEqual(p.recheck, [0, 1, 2, 3, 4]);
});
