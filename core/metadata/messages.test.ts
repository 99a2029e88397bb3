import test from 'ava';
import fc from 'fast-check';
import { encode } from '../bencode/index.js';
import { concatBytes, fromUtf8, utf8 } from '../util/bytes.js';
import { ProtocolError } from '../util/errors.js';
import { decodeMetadataMessage, encodeMetadataMessage } from './messages.js';

test('BEP9-MSG-1 BEP9-MSG-4: request spec example', (t) => {
  t.deepEqual(decodeMetadataMessage(utf8('d8:msg_typei0e5:piecei0ee')), { type: 'request', piece: 0 });
  t.is(fromUtf8(encodeMetadataMessage({ type: 'request', piece: 0 })), 'd8:msg_typei0e5:piecei0ee');
});

test('BEP9-MSG-6: data spec example (erratum: the dict encodes total_size 34256) with the piece after the dict', (t) => {
  const piece = new Uint8Array(16384).fill(0x61);
  const payload = concatBytes([utf8('d8:msg_typei1e5:piecei0e10:total_sizei34256ee'), piece]);
  const m = decodeMetadataMessage(payload);
  t.is(m.type, 'data');
  if (m.type !== 'data') return;
  t.is(m.piece, 0);
  t.is(m.totalSize, 34256);
  t.deepEqual(m.data, piece);
  t.deepEqual(encodeMetadataMessage(m), payload);
});

test('BEP9-MSG-7: reject (erratum: the example encodes msg_type 1, a reject is 2) carries no extra keys', (t) => {
  t.deepEqual(decodeMetadataMessage(utf8('d8:msg_typei2e5:piecei0ee')), { type: 'reject', piece: 0 });
  t.is(fromUtf8(encodeMetadataMessage({ type: 'reject', piece: 3 })), 'd8:msg_typei2e5:piecei3ee');
  // The spec's literal reject example is really a data message without total_size: malformed.
  t.throws(() => decodeMetadataMessage(utf8('d8:msg_typei1e5:piecei0ee')), { instanceOf: ProtocolError });
});

test('BEP9-MSG-3: an unknown msg_type is reported as unknown (to be ignored), not an error', (t) => {
  t.deepEqual(decodeMetadataMessage(utf8('d8:msg_typei7e5:piecei0ee')), { type: 'unknown', msgType: 7 });
  t.deepEqual(decodeMetadataMessage(utf8('d8:msg_typei9ee')), { type: 'unknown', msgType: 9 });
});

test('ut_metadata: malformed payloads are ProtocolErrors', (t) => {
  for (const s of ['', 'i1e', 'd5:piecei0ee', 'd8:msg_type1:0e', 'd8:msg_typei0ee', 'd8:msg_typei0e5:piecei-1ee', 'd8:msg_typei0e5:piece']) {
    t.throws(() => decodeMetadataMessage(utf8(s)), { instanceOf: ProtocolError }, s);
  }
  const tooBig = concatBytes([utf8('d8:msg_typei1e5:piecei0e10:total_sizei99999ee'), new Uint8Array(16385)]);
  t.throws(() => decodeMetadataMessage(tooBig), { instanceOf: ProtocolError });
});

test('fuzz: arbitrary payloads decode or throw ProtocolError; messages round-trip', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
    try { decodeMetadataMessage(b); return true; } catch (e) { return e instanceof ProtocolError; }
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.record({ msg_type: fc.integer({ min: -1, max: 4 }), piece: fc.integer({ min: -1, max: 600 }), total_size: fc.option(fc.integer({ min: -1, max: 1 << 23 }), { nil: undefined }) }), fc.uint8Array({ maxLength: 64 }), (d, tail) => {
    try { decodeMetadataMessage(concatBytes([encode(d), tail])); return true; } catch (e) { return e instanceof ProtocolError; }
  }), { numRuns: 1000 });
  fc.assert(fc.property(fc.nat(500), fc.nat(1 << 23), fc.uint8Array({ maxLength: 16384 }), (piece, totalSize, data) => {
    const m = { type: 'data' as const, piece, totalSize, data };
    t.deepEqual(decodeMetadataMessage(encodeMetadataMessage(m)), m);
  }), { numRuns: 100 });
});
