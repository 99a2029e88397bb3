import test from 'ava';
import { parseMetainfo, parseInfo } from './parse.js';
import { encode, type Encodable } from '../bencode/encode.js';
import { BencodeError, MetainfoError } from '../util/errors.js';
import { concatBytes, toHex, utf8 } from '../util/bytes.js';
import { sha1 } from '../util/sha1.js';

const PIECES2 = new Uint8Array(40).fill(7);

/** A valid single-file torrent, with `patch` applied to the info dict (undefined deletes a key). */
function single(patch: Record<string, Encodable> = {}, top: Record<string, Encodable> = {}): Uint8Array {
  const info: Record<string, Encodable> = { name: 'file.bin', 'piece length': 16384, length: 20000, pieces: PIECES2, ...patch };
  return encode({ announce: 'http://t.example/announce', info, ...top });
}

function multi(files: Encodable[], patch: Record<string, Encodable> = {}, total = 20000): Uint8Array {
  const n = Math.ceil(total / 16384);
  const info: Record<string, Encodable> = { name: 'dir', 'piece length': 16384, files, pieces: new Uint8Array(20 * n), ...patch };
  return encode({ info });
}

function metaErr(t: import('ava').ExecutionContext, buf: Uint8Array, re: RegExp, strict = true) {
  const e = t.throws(() => parseMetainfo(buf, { strict }), { instanceOf: MetainfoError });
  if (e) t.regex(e.message, re);
}

test('BEP3-META-1/7/11: single-file torrent: fields, geometry, info hash over the raw info slice', (t) => {
  const buf = single({}, { comment: 'hi', 'created by': 'me', 'creation date': 1700000000 });
  const m = parseMetainfo(buf);
  t.is(m.info.name, 'file.bin');
  t.is(m.info.pieceLength, 16384);
  t.is(m.info.pieceCount, 2);
  t.is(m.info.totalLength, 20000);
  t.false(m.info.multiFile);
  t.false(m.info.private);
  t.deepEqual(m.info.files, [{ path: ['file.bin'], length: 20000, offset: 0, attr: '' }]);
  t.is(m.announce, 'http://t.example/announce');
  t.deepEqual(m.announceList, [['http://t.example/announce']], 'no announce-list: [[announce]]');
  t.is(m.comment, 'hi');
  t.is(m.createdBy, 'me');
  t.is(m.creationDate, 1700000000);
  const s = Buffer.from(buf).toString('latin1');
  const start = s.indexOf('4:infod') + 6;
  const raw = buf.slice(start, buf.length - 1);
  t.deepEqual(m.info.rawInfo, raw);
  t.is(m.info.infoHashHex, toHex(sha1(raw)));
  t.deepEqual(parseInfo(raw), m.info, 'parseInfo on the raw slice gives the same info');
});

test('BEP3-META-8/9: multi-file torrent: paths, offsets across files, zero-length files', (t) => {
  const m = parseMetainfo(multi([
    { length: 10000, path: ['a', 'b.txt'] },
    { length: 0, path: ['empty'] },
    { length: 10000, path: ['c.bin'], attr: 'x' },
  ]));
  t.true(m.info.multiFile);
  t.is(m.info.name, 'dir');
  t.deepEqual(m.info.files.map((f) => [f.path.join('/'), f.length, f.offset, f.attr]), [
    ['a/b.txt', 10000, 0, ''], ['empty', 0, 10000, ''], ['c.bin', 10000, 10000, 'x'],
  ]);
  t.is(m.info.totalLength, 20000);
  t.deepEqual(m.announceList, []);
  t.is(m.announce, undefined);
});

test('BEP 12 announce-list tiers (empty ones dropped) win over announce; BEP 19 url-list string or list', (t) => {
  const m = parseMetainfo(single({}, { 'announce-list': [['a', 'b'], [], ['c', '']], 'url-list': 'http://ws/' }));
  t.deepEqual(m.announceList, [['a', 'b'], ['c']]);
  t.deepEqual(m.urlList, ['http://ws/']);
  t.deepEqual(parseMetainfo(single({}, { 'url-list': ['u1', 'u2'] })).urlList, ['u1', 'u2']);
});

test('BEP5-TOR-1: nodes are read as addresses', (t) => {
  const m = parseMetainfo(single({}, { nodes: [['127.0.0.1', 6881], ['router.example', 1]] }));
  t.deepEqual(m.nodes, [{ host: '127.0.0.1', port: 6881 }, { host: 'router.example', port: 1 }]);
  metaErr(t, single({}, { nodes: [['h', 0]] }), /nodes\[0\]/);
  metaErr(t, single({}, { nodes: [['h', 70000]] }), /nodes\[0\]/);
});

test('BEP 27: private flag', (t) => {
  t.true(parseMetainfo(single({ private: 1 })).info.private);
  t.false(parseMetainfo(single({ private: 0 })).info.private);
  metaErr(t, single({ private: 2 }), /private must be 0 or 1/);
  t.true(parseMetainfo(single({ private: 2 }), { strict: false }).info.private);
});

test('BEP 47: attr kept; padding files may share a path, real files may not', (t) => {
  const m = parseMetainfo(multi([
    { length: 100, path: ['a'] },
    { length: 16284, path: ['.pad', '16284'], attr: 'p' },
    { length: 100, path: ['b'] },
    { length: 16284, path: ['.pad', '16284'], attr: 'p' },
  ], {}, 32768));
  t.deepEqual(m.info.files.map((f) => f.attr), ['', 'p', '', 'p']);
  metaErr(t, multi([{ length: 1, path: ['a'] }, { length: 1, path: ['a'] }], {}, 2), /collides/);
  metaErr(t, multi([{ length: 1, path: ['a'] }, { length: 1, path: ['a', 'b'] }], {}, 2), /needs "a" to be a folder/);
  metaErr(t, multi([{ length: 1, path: ['a', 'b'] }, { length: 1, path: ['a'] }], {}, 2), /collides/);
});

test('path safety: traversal, absolute, empty, NUL, backslash, drive letters are refused by name', (t) => {
  const bad: Array<[string[], RegExp]> = [
    [['..', 'etc', 'passwd'], /"\.\.\/etc\/passwd" is unsafe: component "\.\." is '\.\.'/],
    [['a', '..', '..', 'x'], /is '\.\.'/],
    [['.'], /is '\.'/],
    [['/etc/passwd'], /contains '\/'/],
    [['a/../../b'], /contains '\/'/],
    [[''], /is empty/],
    [['a', ''], /is empty/],
    [['nul\0byte'], /contains NUL/],
    [['..\\..\\windows'], /contains '\\'/],
    [['C:'], /drive letter/],
    [['c:evil.exe'], /drive letter/],
  ];
  for (const [path, re] of bad) metaErr(t, multi([{ length: 20000, path }]), re);
  metaErr(t, multi([{ length: 20000, path: [] }]), /empty path \(BEP3-META-8\)/);
  // The same rules for the torrent name, in both modes.
  for (const name of ['..', '.', '', '/abs', 'a\\b', 'x\0', 'D:']) {
    metaErr(t, single({ name }), /info\.name/);
    metaErr(t, single({ name }), /info\.name/, false);
  }
  t.notThrows(() => parseMetainfo(multi([{ length: 20000, path: ['12:30 notes.txt', '...', '.hidden'] }])), 'colons inside, dot names other than . and .. are fine');
});

test('BEP3-META-4/5/6/10: field errors name the field', (t) => {
  metaErr(t, single({ 'piece length': 0 }), /piece length/);
  metaErr(t, single({ 'piece length': -1 }), /piece length/);
  metaErr(t, single({ 'piece length': 'x' }), /piece length/);
  metaErr(t, single({ pieces: new Uint8Array(39) }), /multiple of 20/);
  metaErr(t, single({ pieces: undefined }), /pieces must be a byte string/);
  metaErr(t, single({ pieces: new Uint8Array(60) }), /holds 3 hashes .* need 2 \(BEP3-META-10\)/);
  metaErr(t, single({ pieces: new Uint8Array(20) }), /holds 1 hashes/);
  metaErr(t, single({ files: [{ length: 1, path: ['a'] }] }), /exactly one of length and files .* both/);
  metaErr(t, single({ length: undefined }), /exactly one of length and files .* neither/);
  metaErr(t, single({ length: -5 }), /info\.length must be a non-negative integer/);
  metaErr(t, single({ length: 2n ** 60n }), /info\.length/);
  metaErr(t, single({ name: undefined }), /info\.name must be a byte string/);
  metaErr(t, multi([]), /non-empty list/);
  metaErr(t, multi(['x']), /files\[0\] is not a dictionary/);
  metaErr(t, multi([{ length: 20000, path: 'a' }]), /files\[0\]\.path must be a list/);
  metaErr(t, multi([{ length: 20000, path: [1] }]), /path\[0\] must be a byte string/);
  metaErr(t, multi([{ path: ['a'] }]), /files\[0\]\.length/);
  metaErr(t, encode({ info: 'x' }), /info is missing or not a dictionary/);
  metaErr(t, encode({ announce: 'x' }), /info is missing/);
  metaErr(t, encode(['not a dict']), /not a bencoded dictionary/);
  metaErr(t, encode({ info: { name: 'x', 'meta version': 2, 'file tree': {}, 'piece length': 16384 } }), /v2-only torrent/);
});

test('BEP3-META-2: text must be UTF-8 in strict mode; lenient decodes lossily', (t) => {
  const badName = new Uint8Array([0x66, 0xff, 0x66]);
  metaErr(t, single({ name: badName }), /info\.name is not valid UTF-8/);
  t.is(parseMetainfo(single({ name: badName }), { strict: false }).info.name, 'f\ufffdf');
  metaErr(t, single({}, { comment: badName }), /comment is not valid UTF-8/);
  t.is(parseMetainfo(single({}, { comment: badName }), { strict: false }).comment, 'f\ufffdf');
});

test('name.utf-8 / path.utf-8 are preferred when valid UTF-8 (as libtorrent does)', (t) => {
  const legacy = new Uint8Array([0xc4, 0xe3]); // GBK bytes, not UTF-8
  const m = parseMetainfo(single({ name: legacy, 'name.utf-8': '你' }));
  t.is(m.info.name, '你');
  const mm = parseMetainfo(multi([{ length: 20000, path: [legacy], 'path.utf-8': ['你.txt'] }]));
  t.deepEqual(mm.info.files[0].path, ['你.txt']);
  metaErr(t, single({ name: 'ok', 'name.utf-8': '..' }), /info\.name/, true);
});

test('strict mode refuses mistyped optional fields; lenient drops them', (t) => {
  const buf = single({}, { announce: 5, 'announce-list': 'x', 'url-list': 7, comment: [], 'creation date': 'yesterday', nodes: 'n' });
  metaErr(t, buf, /announce must be a string/);
  const m = parseMetainfo(buf, { strict: false });
  t.is(m.announce, undefined);
  t.deepEqual(m.announceList, []);
  t.deepEqual(m.urlList, []);
  t.is(m.comment, undefined);
  t.is(m.creationDate, undefined);
  t.deepEqual(m.nodes, []);
});

test('BEP3-META-11: lenient mode hashes the non-canonical info slice as it stands (never re-encoded)', (t) => {
  // Keys out of order and a leading-zero integer inside info.
  const rawInfo = utf8('d4:name1:x12:piece lengthi016384e6:lengthi1e6:pieces20:aaaaaaaaaaaaaaaaaaaae');
  const buf = concatBytes([utf8('d4:info'), rawInfo, utf8('e')]);
  t.throws(() => parseMetainfo(buf), { instanceOf: BencodeError });
  const m = parseMetainfo(buf, { strict: false });
  t.is(m.info.infoHashHex, toHex(sha1(rawInfo)));
  t.deepEqual(m.info.rawInfo, rawInfo);
  t.is(m.info.pieceLength, 16384);
});

test('truncated or trailing data is a BencodeError in both modes; maxLength is honoured', (t) => {
  const buf = single();
  t.throws(() => parseMetainfo(buf.subarray(0, buf.length - 1), { strict: false }), { instanceOf: BencodeError });
  t.throws(() => parseMetainfo(concatBytes([buf, utf8('\n')]), { strict: false }), { instanceOf: BencodeError, message: /trailing/ });
  t.throws(() => parseMetainfo(buf, { maxLength: 10 }), { instanceOf: BencodeError, message: /limit/ });
});
