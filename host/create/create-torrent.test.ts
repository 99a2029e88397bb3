import test from 'ava';
import fc from 'fast-check';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTorrentFromPath } from './create-torrent.js';
import { walkForTorrent } from './walk.js';
import { PieceHasher } from './piece-hasher.js';
import { writeFixtureData, fixtureContent } from './fixture-data.js';
import { parseMetainfo } from '../../core/metainfo/parse.js';
import { pieceHashes } from '../../core/metainfo/build.js';
import { MetainfoError, StorageError } from '../../core/util/errors.js';
import { concatBytes } from '../../core/util/bytes.js';

const fixtures = join(process.cwd(), 'test', 'fixtures', 'torrents');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as {
  data: Array<{ path: string; size: number; seed: number }>;
  torrents: Array<{ file: string; infoHash: string }>;
};
const hashOf = (file: string) => expected.torrents.find((x) => x.file === file)!.infoHash;

function tmp(t: import('ava').ExecutionContext): string {
  const d = mkdtempSync(join(tmpdir(), 'btlab-create-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('BEP3-META-11: bt-lab create reproduces mktorrent\'s info hash for the same content and piece length', async (t) => {
  const dir = tmp(t);
  writeFixtureData(dir, expected.data);
  const odd = await createTorrentFromPath(join(dir, 'odd.bin'), { pieceLength: 32768, creationDate: null });
  t.is(odd.infoHashHex, hashOf('odd.mk.torrent'));
  // Folder: 0-byte and 1-byte files, nested folders, a unicode name; private.
  const multi = await createTorrentFromPath(join(dir, 'multi'), { pieceLength: 32768, private: true, creationDate: null });
  t.is(multi.infoHashHex, hashOf('multi.mk.torrent'));
  t.deepEqual(multi.files.map((f) => f.path.join('/')), ['a.bin', 'empty.txt', 'one.txt', 'sub/dir/deep.bin', 'ünïcødé 日本.txt']);
  const uni = await createTorrentFromPath(join(dir, '日本語-single.txt'), { pieceLength: 32768 });
  t.is(uni.infoHashHex, hashOf('unicode.mk.torrent'));
});

test('created torrents parse back: trackers, comment, private, date, geometry', async (t) => {
  const dir = tmp(t);
  writeFixtureData(dir, expected.data);
  const c = await createTorrentFromPath(join(dir, 'multi'), {
    trackers: ['http://a/ann', ['udp://b:1', 'udp://c:2']], comment: 'hello', private: true, creationDate: 1700000000, pieceLength: 'auto',
  });
  const m = parseMetainfo(c.torrent);
  t.is(m.info.infoHashHex, c.infoHashHex);
  t.deepEqual(m.announceList, [['http://a/ann'], ['udp://b:1', 'udp://c:2']]);
  t.is(m.comment, 'hello');
  t.is(m.createdBy, 'bt-lab/0.1.0');
  t.is(m.creationDate, 1700000000);
  t.true(m.info.private);
  t.is(m.info.pieceLength, 16384, 'auto: 115001 bytes → smallest piece (16 KiB)');
  t.is(m.info.pieceCount, 8);
  t.is(c.totalLength, 115001);
  const now = Math.floor(Date.now() / 1000);
  const d = parseMetainfo((await createTorrentFromPath(join(dir, 'odd.bin'))).torrent).creationDate!;
  t.true(Math.abs(d - now) < 3600, 'default creation date is now');
});

test('BEP3-META-9: hashing across file boundaries is independent of the read buffer size', async (t) => {
  const dir = tmp(t);
  writeFixtureData(dir, expected.data);
  const concat = concatBytes(expected.data.filter((d) => d.path.startsWith('multi/')).map((d) => fixtureContent(d.size, d.seed)));
  for (const bufferSize of [13, 4096, 1 << 20]) {
    const c = await createTorrentFromPath(join(dir, 'multi'), { pieceLength: 1000, bufferSize, creationDate: null });
    t.deepEqual(parseMetainfo(c.torrent).info.pieces, pieceHashes(concat, 1000), `buffer ${bufferSize}`);
  }
});

test('PieceHasher: any chunking of the input gives pieceHashes of the whole', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 50 }), fc.array(fc.nat(60), { maxLength: 10 }), (data, pl, cuts) => {
    const h = new PieceHasher(pl);
    let off = 0;
    for (const c of cuts) { h.update(data.subarray(off, off + c)); off = Math.min(data.length, off + c); }
    h.update(data.subarray(off));
    return Buffer.from(h.digest()).equals(pieceHashes(data, pl));
  }), { numRuns: 500 });
  t.pass();
});

test('walk: raw byte order per folder, hidden files included, symlinks followed, empty folders reported', async (t) => {
  const dir = tmp(t);
  const root = join(dir, 'root');
  mkdirSync(join(root, 'a', 'inner'), { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'a.txt'), 'x');
  writeFileSync(join(root, 'a', 'inner', 'z'), 'y');
  writeFileSync(join(root, 'B'), 'b');
  writeFileSync(join(root, '.hidden'), 'h');
  writeFileSync(join(dir, 'outside.txt'), 'o');
  symlinkSync(join(dir, 'outside.txt'), join(root, 'link.txt'));
  const w = await walkForTorrent(root);
  // '.'(2e) < 'B'(42) < 'a'(61); "a" < "a.txt" component-wise (a full-path strcmp would differ).
  t.deepEqual(w.files.map((f) => f.path.join('/')), ['.hidden', 'B', 'a/inner/z', 'a.txt', 'link.txt']);
  t.deepEqual(w.warnings, ['empty folder left out (v1 torrents cannot hold one): empty']);
  t.true(w.multiFile);
  t.is(w.name, 'root');
});

test('walk: loops, dangling links, FIFOs, missing paths and empty folders are typed errors', async (t) => {
  const dir = tmp(t);
  mkdirSync(join(dir, 'loop'));
  writeFileSync(join(dir, 'loop', 'f'), 'x');
  symlinkSync(join(dir, 'loop'), join(dir, 'loop', 'back'));
  await t.throwsAsync(walkForTorrent(join(dir, 'loop')), { instanceOf: StorageError, message: /symlink loop/ });
  mkdirSync(join(dir, 'dangling'));
  symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling', 'l'));
  await t.throwsAsync(walkForTorrent(join(dir, 'dangling')), { instanceOf: StorageError, message: /dangling/ });
  mkdirSync(join(dir, 'fifo'));
  execFileSync('mkfifo', [join(dir, 'fifo', 'p')]);
  await t.throwsAsync(walkForTorrent(join(dir, 'fifo')), { instanceOf: StorageError, message: /not a regular file/ });
  await t.throwsAsync(walkForTorrent(join(dir, 'missing')), { instanceOf: StorageError, message: /does not exist/ });
  mkdirSync(join(dir, 'nothing', 'deeper'), { recursive: true });
  await t.throwsAsync(walkForTorrent(join(dir, 'nothing')), { instanceOf: MetainfoError, message: /holds no files/ });
  mkdirSync(join(dir, 'bs'));
  writeFileSync(join(dir, 'bs', 'a\\b'), 'x');
  await t.throwsAsync(walkForTorrent(join(dir, 'bs')), { instanceOf: MetainfoError, message: /contains '\\'/ });
});
