import test from 'ava';
import fc from 'fast-check';
import { buildInfo, buildMetainfo, pieceHashes, CREATED_BY } from './build.js';
import { parseMetainfo, parseInfo } from './parse.js';
import { autoPieceLength, MAX_AUTO_PIECE_LENGTH, MIN_AUTO_PIECE_LENGTH } from './piece-length.js';
import { MetainfoError } from '../util/errors.js';
import { concatBytes, toHex } from '../util/bytes.js';
import { sha1 } from '../util/sha1.js';
import { seededRandom } from '../util/prng.js';

test('BEP3-META-9: multi-file pieces span file boundaries (hash of the concatenation)', (t) => {
  const rnd = seededRandom('build-span');
  const a = rnd.bytes(10), b = rnd.bytes(0), c = rnd.bytes(25);
  const pieces = pieceHashes(concatBytes([a, b, c]), 16);
  t.is(pieces.length, 3 * 20);
  // Piece 0 = a + c[0..6), piece 1 = c[6..22), piece 2 (short, last) = c[22..25).
  t.deepEqual(pieces.subarray(0, 20), sha1(concatBytes([a, c.subarray(0, 6)])));
  t.deepEqual(pieces.subarray(20, 40), sha1(c.subarray(6, 22)));
  t.deepEqual(pieces.subarray(40, 60), sha1(c.subarray(22)));
  const built = buildInfo({ name: 'd', files: [{ path: ['a'], length: 10 }, { path: ['b'], length: 0 }, { path: ['s', 'c'], length: 25 }], pieceLength: 16, pieces });
  const info = parseInfo(built.rawInfo);
  t.is(info.infoHashHex, built.infoHashHex);
  t.is(toHex(sha1(built.rawInfo)), built.infoHashHex);
  t.deepEqual(info.files.map((f) => [f.path, f.offset]), [[['a'], 0], [['b'], 10], [['s', 'c'], 10]]);
  t.deepEqual(info.pieces, pieces);
});

test('buildInfo: single vs multi layout, private flag, canonical bytes', (t) => {
  const pieces = pieceHashes(new Uint8Array(5), 4);
  const s = buildInfo({ name: 'f', files: [{ path: ['f'], length: 5 }], pieceLength: 4, pieces });
  t.is(Buffer.from(s.rawInfo).toString('latin1'), `d6:lengthi5e4:name1:f12:piece lengthi4e6:pieces40:${Buffer.from(pieces).toString('latin1')}e`);
  t.false(parseInfo(s.rawInfo).multiFile);
  const m = buildInfo({ name: 'f', files: [{ path: ['f'], length: 5 }], pieceLength: 4, pieces, multiFile: true, private: true });
  const mi = parseInfo(m.rawInfo);
  t.true(mi.multiFile);
  t.true(mi.private);
  t.deepEqual(mi.files[0].path, ['f']);
});

test('buildInfo refuses what parse would refuse: unsafe paths, bad geometry', (t) => {
  const p = pieceHashes(new Uint8Array(1), 4);
  t.throws(() => buildInfo({ name: '..', files: [{ path: ['..'], length: 1 }], pieceLength: 4, pieces: p }), { instanceOf: MetainfoError, message: /info\.name/ });
  t.throws(() => buildInfo({ name: 'd', files: [{ path: ['a', '../x'], length: 1 }], pieceLength: 4, pieces: p }), { instanceOf: MetainfoError, message: /files\[0\]\.path/ });
  t.throws(() => buildInfo({ name: 'd', files: [{ path: ['a'], length: 1 }], pieceLength: 4, pieces: new Uint8Array(40) }), { instanceOf: MetainfoError, message: /BEP3-META-10/ });
  t.throws(() => buildInfo({ name: 'd', files: [], pieceLength: 4, pieces: new Uint8Array(0) }), { instanceOf: MetainfoError });
  t.throws(() => buildInfo({ name: 'd', files: [{ path: ['a'], length: -1 }], pieceLength: 4, pieces: p }), { instanceOf: MetainfoError });
  t.throws(() => buildInfo({ name: 'd', files: [{ path: ['a'], length: 1 }], pieceLength: 0, pieces: p }), { instanceOf: MetainfoError });
});

test('buildMetainfo: trackers, comment, created by, date; parses back with the same info hash', (t) => {
  const built = buildInfo({ name: 'f', files: [{ path: ['f'], length: 3 }], pieceLength: 16384, pieces: pieceHashes(new Uint8Array(3), 16384) });
  const one = parseMetainfo(buildMetainfo({ rawInfo: built.rawInfo, trackers: [['http://a/ann']], creationDate: 1234 }));
  t.is(one.announce, 'http://a/ann');
  t.deepEqual(one.announceList, [['http://a/ann']]);
  t.is(one.createdBy, CREATED_BY);
  t.is(one.creationDate, 1234);
  t.is(one.info.infoHashHex, built.infoHashHex);
  const m = parseMetainfo(buildMetainfo({
    rawInfo: built.rawInfo, trackers: [['http://a/ann', 'http://b/ann'], ['udp://c:1']], comment: 'ünï', createdBy: 'x',
    urlList: ['http://ws/'], nodes: [{ host: '127.0.0.1', port: 6881 }],
  }));
  t.deepEqual(m.announceList, [['http://a/ann', 'http://b/ann'], ['udp://c:1']]);
  t.is(m.comment, 'ünï');
  t.is(m.createdBy, 'x');
  t.is(m.creationDate, undefined);
  t.deepEqual(m.urlList, ['http://ws/']);
  t.deepEqual(m.nodes, [{ host: '127.0.0.1', port: 6881 }]);
  const bare = parseMetainfo(buildMetainfo({ rawInfo: built.rawInfo }));
  t.is(bare.announce, undefined);
  t.deepEqual(bare.announceList, []);
});

test('property: any safe file list builds a torrent that parses back to the same files and hash', (t) => {
  const comp = fc.string({ minLength: 1, maxLength: 6 }).filter((c) => !/[/\\\0]/.test(c) && c !== '.' && c !== '..' && !/^[A-Za-z]:/.test(c));
  const arb = fc.record({
    files: fc.uniqueArray(fc.record({ path: fc.array(comp, { minLength: 1, maxLength: 3 }), length: fc.nat(100) }), {
      minLength: 1, maxLength: 6,
      // No file may sit where another needs a folder: compare by first differing prefix.
      selector: (f) => f.path[0],
    }),
    pieceLength: fc.integer({ min: 1, max: 64 }),
  });
  fc.assert(fc.property(arb, ({ files, pieceLength }) => {
    const total = files.reduce((s, f) => s + f.length, 0);
    const pieces = pieceHashes(new Uint8Array(total), pieceLength);
    const built = buildInfo({ name: 'root', files, pieceLength, pieces, multiFile: true });
    const m = parseMetainfo(buildMetainfo({ rawInfo: built.rawInfo, trackers: [['http://x/']] }));
    t.is(m.info.infoHashHex, built.infoHashHex);
    t.deepEqual(m.info.files.map((f) => ({ path: f.path, length: f.length })), files);
    t.is(m.info.pieceCount, Math.ceil(total / pieceLength));
  }), { numRuns: 300 });
  t.pass();
});

test('autoPieceLength: power of two in 16 KiB..16 MiB, 1000–2000 pieces when not clamped', (t) => {
  t.is(autoPieceLength(0), MIN_AUTO_PIECE_LENGTH);
  t.is(autoPieceLength(1), MIN_AUTO_PIECE_LENGTH);
  t.is(autoPieceLength(1 << 30), 1 << 20, '1 GiB → 1 MiB pieces (1024 pieces)');
  t.is(autoPieceLength(2 ** 50), MAX_AUTO_PIECE_LENGTH);
  fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 46 }), (n) => {
    const pl = autoPieceLength(n);
    const count = Math.ceil(n / pl);
    const pow2 = (pl & (pl - 1)) === 0;
    const inRange = pl >= MIN_AUTO_PIECE_LENGTH && pl <= MAX_AUTO_PIECE_LENGTH;
    const target = (pl === MIN_AUTO_PIECE_LENGTH || count > 1000) && (pl === MAX_AUTO_PIECE_LENGTH || count <= 2000);
    return pow2 && inRange && target;
  }), { numRuns: 2000 });
  t.pass();
});
