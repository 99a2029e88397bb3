import test from 'ava';
import fc from 'fast-check';
import { encodeMessage, encodeMessages, encodePieceHeader } from './encode.js';
import { wireSize } from './size.js';
import { toHex, concatBytes } from '../util/bytes.js';
import { ProtocolError } from '../util/errors.js';
import type { PeerMessage } from './types.js';
import { arbPeerMessage } from './testing/arbitraries.js';

const hex = (m: PeerMessage) => toHex(encodeMessage(m));

test('BEP3-MSG-1: keep-alive is a zero length prefix and nothing else', (t) => {
  t.is(hex({ type: 'keepalive' }), '00000000');
});

test('BEP3-MSG-4: choke, unchoke, interested, not interested are length 1 with ids 0–3', (t) => {
  t.is(hex({ type: 'choke' }), '0000000100');
  t.is(hex({ type: 'unchoke' }), '0000000101');
  t.is(hex({ type: 'interested' }), '0000000102');
  t.is(hex({ type: 'not_interested' }), '0000000103');
});

test('BEP3-MSG-5/BEP3-HS-5: have is length 5, id 4, big-endian u32 index', (t) => {
  t.is(hex({ type: 'have', index: 0x01020304 }), '000000050401020304');
});

test('BEP3-MSG-7: bitfield is length 1 + bytes, id 5', (t) => {
  t.is(hex({ type: 'bitfield', bits: new Uint8Array([0xff, 0x80]) }), '0000000305ff80');
});

test('BEP3-MSG-8/BEP3-MSG-11: request and cancel are length 13 with index, begin, length', (t) => {
  t.is(hex({ type: 'request', index: 1, begin: 0x4000, length: 0x4000 }), '0000000d06000000010000400000004000');
  t.is(hex({ type: 'cancel', index: 1, begin: 0x4000, length: 0x4000 }), '0000000d08000000010000400000004000');
});

test('BEP3-MSG-10: piece is length 9 + block, id 7, index, begin, block', (t) => {
  t.is(hex({ type: 'piece', index: 2, begin: 16, block: new Uint8Array([0xde, 0xad]) }), '0000000b07000000020000001' + '0dead');
});

test('BEP 5 PORT is length 3, id 9, big-endian u16', (t) => {
  t.is(hex({ type: 'port', port: 6881 }), '00000003091ae1');
});

test('BEP 6: suggest 0x0D, have-all 0x0E, have-none 0x0F, reject 0x10, allowed-fast 0x11', (t) => {
  t.is(hex({ type: 'suggest', index: 7 }), '000000050d00000007');
  t.is(hex({ type: 'have_all' }), '000000010e');
  t.is(hex({ type: 'have_none' }), '000000010f');
  t.is(hex({ type: 'reject', index: 1, begin: 2, length: 3 }), '0000000d10000000010000000200000003');
  t.is(hex({ type: 'allowed_fast', index: 1059 }), '000000051100000423');
});

test('BEP 10: extended is id 20, then the extended id, then the raw payload', (t) => {
  t.is(hex({ type: 'extended', id: 0, payload: new Uint8Array([0x64, 0x65]) }), '00000004140064' + '65');
});

test('unknown ids are framed as given; a known id cannot masquerade as unknown', (t) => {
  t.is(hex({ type: 'unknown', id: 21, payload: new Uint8Array([1]) }), '000000021501');
  t.throws(() => encodeMessage({ type: 'unknown', id: 7, payload: new Uint8Array(0) }), { instanceOf: ProtocolError });
});

test('BEP3-MSG-1: every encoded message is exactly wireSize bytes and its prefix counts the rest', (t) => {
  fc.assert(fc.property(arbPeerMessage(), (m) => {
    const b = encodeMessage(m);
    const len = ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
    return b.length === wireSize(m) && len === b.length - 4;
  }), { numRuns: 1000 });
  t.pass();
});

test('encodeMessages is the concatenation of encodeMessage', (t) => {
  fc.assert(fc.property(fc.array(arbPeerMessage(), { maxLength: 20 }), (ms) => {
    return toHex(encodeMessages(ms)) === toHex(concatBytes(ms.map(encodeMessage)));
  }), { numRuns: 300 });
  t.pass();
});

test('BEP3-MSG-10: encodePieceHeader + block equals the encoded piece message', (t) => {
  fc.assert(fc.property(fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 100 }), (index, begin, block) => {
    const whole = encodeMessage({ type: 'piece', index, begin, block });
    return toHex(concatBytes([encodePieceHeader(index, begin, block.length), block])) === toHex(whole);
  }), { numRuns: 300 });
  t.pass();
});

test('BEP3-HS-5: values that are not u32 / u16 / u8 are refused, not truncated', (t) => {
  t.throws(() => encodeMessage({ type: 'have', index: -1 }), { instanceOf: ProtocolError });
  t.throws(() => encodeMessage({ type: 'have', index: 2 ** 32 }), { instanceOf: ProtocolError });
  t.throws(() => encodeMessage({ type: 'request', index: 0, begin: 1.5, length: 1 }), { instanceOf: ProtocolError });
  t.throws(() => encodeMessage({ type: 'port', port: 65536 }), { instanceOf: ProtocolError });
  t.throws(() => encodeMessage({ type: 'extended', id: 256, payload: new Uint8Array(0) }), { instanceOf: ProtocolError });
  t.throws(() => encodePieceHeader(0, -1, 10), { instanceOf: ProtocolError });
});
