import test from 'ava';
import fc from 'fast-check';
import { encode } from '../bencode/index.js';
import { fromUtf8, utf8 } from '../util/bytes.js';
import { ProtocolError } from '../util/errors.js';
import { decodeExtHandshake, encodeExtHandshake } from './handshake.js';

test('BEP10-HS-1 BEP10-HS-4: the BEP 10 example handshake decodes', (t) => {
  // From BEP 10: d1:md11:LT_metadatai1e6:µT_PEXi2ee1:pi6881e1:v13:µTorrent 1.2e
  const pexKey = String.fromCharCode(...utf8('µT_PEX')); // dict keys are raw bytes as latin1 strings
  const payload = encode({ m: { LT_metadata: 1, [pexKey]: 2 }, p: 6881, v: 'µTorrent 1.2' });
  t.is(fromUtf8(payload), 'd1:md11:LT_metadatai1e7:µT_PEXi2ee1:pi6881e1:v13:µTorrent 1.2e');
  const h = decodeExtHandshake(payload);
  t.is(h.m.LT_metadata, 1);
  t.is(h.m[pexKey], 2);
  t.is(h.p, 6881);
  t.is(h.v, 'µTorrent 1.2');
});

test('BEP10-HS-1: every key optional; unknown keys ignored but kept in raw; bad values dropped', (t) => {
  t.deepEqual(decodeExtHandshake(utf8('de')).m, {});
  const h = decodeExtHandshake(encode({
    m: { ut_metadata: 3, ut_pex: 'x', big: 300, neg: -1, off: 0 }, p: 70000, reqq: 250, yourip: new Uint8Array([127, 0, 0, 1]),
    ipv6: new Uint8Array(5), metadata_size: 31235, complete_ago: 1, zzz: { nested: [1, 2] },
  } as Parameters<typeof encode>[0]));
  t.deepEqual(h.m, { off: 0, ut_metadata: 3 });
  t.is(h.p, undefined);
  t.is(h.reqq, 250);
  t.deepEqual(h.yourip, new Uint8Array([127, 0, 0, 1]));
  t.is(h.ipv6, undefined);
  t.is(h.metadataSize, 31235);
  t.truthy(h.raw.zzz);
});

test('BEP10-HS-1: a payload that is not a bencoded dict is a ProtocolError', (t) => {
  for (const s of ['', 'i1e', 'l1:ae', 'd1:m', 'de garbage']) t.throws(() => decodeExtHandshake(utf8(s)), { instanceOf: ProtocolError }, s);
});

test('BEP9-HS-1 BEP9-HS-2: encode → decode round-trips our own handshake', (t) => {
  const h = { m: { ut_metadata: 1, ut_pex: 2 }, p: 51413, v: 'bt-lab 0.1', reqq: 500, yourip: new Uint8Array(16).fill(1), metadataSize: 12345 };
  const back = decodeExtHandshake(encodeExtHandshake(h));
  const { raw, ...rest } = back;
  t.deepEqual(rest, h);
  t.is(fromUtf8(encodeExtHandshake({ m: { ut_metadata: 1 } })), 'd1:md11:ut_metadatai1eee');
});

test('fuzz BEP10-HS-1: arbitrary bytes decode or throw ProtocolError', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
    try { decodeExtHandshake(b); return true; } catch (e) { return e instanceof ProtocolError; }
  }), { numRuns: 2000 });
  const val = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.uint8Array({ maxLength: 20 }), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 12 }), tie('v'), { maxKeys: 4 })) })).v;
  fc.assert(fc.property(fc.dictionary(fc.constantFrom('m', 'p', 'v', 'reqq', 'yourip', 'ipv4', 'ipv6', 'metadata_size', 'x'), val, { maxKeys: 6 }), (d) => {
    try { decodeExtHandshake(encode(d as Parameters<typeof encode>[0])); return true; } catch (e) { return e instanceof ProtocolError; }
  }), { numRuns: 1000 });
  t.pass();
});
