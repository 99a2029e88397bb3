import test from 'ava';
import fc from 'fast-check';
import { encodeHandshake, hasReserved, makeReserved, setReserved, parseHandshake, PROTOCOL_NAME } from './handshake.js';
import { RESERVED } from './types.js';
import { utf8, bytesEqual, fromHex } from '../util/bytes.js';
import { ProtocolError } from '../util/errors.js';
import { decodeAll } from './decoder.js';
import { arbHandshake } from './testing/arbitraries.js';

const hs = {
  reserved: makeReserved({ extension: true, dht: true, fast: true }),
  infoHash: new Uint8Array(20).fill(0xaa),
  peerId: utf8('-BL0100-abcdefghijkl'),
};

test('BEP3-HS-1: the handshake is 68 bytes: 19, "BitTorrent protocol", reserved, info hash, peer id', (t) => {
  const b = encodeHandshake(hs);
  t.is(b.length, 68);
  t.is(b[0], 19);
  t.true(bytesEqual(b.subarray(1, 20), utf8('BitTorrent protocol')));
  t.true(bytesEqual(PROTOCOL_NAME, utf8('BitTorrent protocol')));
  t.true(bytesEqual(b.subarray(20, 28), fromHex('0000000000100005')));
  t.true(bytesEqual(b.subarray(28, 48), hs.infoHash));
  t.true(bytesEqual(b.subarray(48, 68), hs.peerId));
});

test('BEP3-HS-2: reserved bits sit where libtorrent puts them (byte5 0x10, byte7 0x01 and 0x04)', (t) => {
  t.deepEqual([...makeReserved({ extension: true })], [0, 0, 0, 0, 0, 0x10, 0, 0]);
  t.deepEqual([...makeReserved({ dht: true })], [0, 0, 0, 0, 0, 0, 0, 0x01]);
  t.deepEqual([...makeReserved({ fast: true })], [0, 0, 0, 0, 0, 0, 0, 0x04]);
  const r = makeReserved();
  t.false(hasReserved(r, RESERVED.fast));
  t.is(setReserved(r, RESERVED.fast), r);
  t.true(hasReserved(r, RESERVED.fast));
  t.false(hasReserved(r, RESERVED.dht));
  t.false(hasReserved(r, RESERVED.extension));
});

test('BEP3-HS-1: handshakes round-trip through encode and parse', (t) => {
  fc.assert(fc.property(arbHandshake, (h) => {
    const back = parseHandshake(encodeHandshake(h));
    return bytesEqual(back.reserved, h.reserved) && bytesEqual(back.infoHash, h.infoHash) && bytesEqual(back.peerId, h.peerId);
  }), { numRuns: 300 });
  t.pass();
});

test('BEP3-HS-1: pstrlen other than 19 is refused at the first byte', (t) => {
  const r = decodeAll(new Uint8Array([18]));
  t.true(r.error instanceof ProtocolError);
  t.regex(r.error!.message, /pstrlen is 18/);
});

test('BEP3-HS-1: a wrong protocol string is refused at the wrong byte, before 68 bytes arrive', (t) => {
  const b = encodeHandshake(hs).slice(0, 10);
  b[5] = 0x78; // 'BitTxrrent'
  const r = decodeAll(b);
  t.true(r.error instanceof ProtocolError);
  t.is(r.error!.context.offset, 5);
  t.is(r.handshake, undefined);
});

test('BEP3-HS-1: encoding wrongly sized fields is refused', (t) => {
  t.throws(() => encodeHandshake({ ...hs, infoHash: new Uint8Array(19) }), { instanceOf: ProtocolError, message: /infoHash must be 20/ });
  t.throws(() => encodeHandshake({ ...hs, reserved: new Uint8Array(9) }), { instanceOf: ProtocolError });
  t.throws(() => encodeHandshake({ ...hs, peerId: new Uint8Array(0) }), { instanceOf: ProtocolError });
});
