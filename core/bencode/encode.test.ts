import test from 'ava';
import { encode, BRaw } from './encode.js';
import { decode } from './decode.js';
import { BtLabError } from '../util/errors.js';
import { utf8, fromUtf8 } from '../util/bytes.js';

const s = (b: Uint8Array) => Buffer.from(b).toString('latin1');

test('BEP3-BENC-1..6: spec vectors encode canonically', (t) => {
  t.is(s(encode(utf8('spam'))), '4:spam');
  t.is(s(encode('spam')), '4:spam');
  t.is(s(encode(3)), 'i3e');
  t.is(s(encode(-3)), 'i-3e');
  t.is(s(encode(0)), 'i0e');
  t.is(s(encode(-0)), 'i0e', 'never i-0e (BEP3-BENC-3)');
  t.is(s(encode(['spam', 'eggs'])), 'l4:spam4:eggse');
  t.is(s(encode({ spam: 'eggs', cow: 'moo' })), 'd3:cow3:moo4:spam4:eggse');
  t.is(s(encode({ spam: ['a', 'b'] })), 'd4:spaml1:a1:bee');
});

test('BEP3-BENC-2: bigint and numbers past 2^53 are written exactly', (t) => {
  t.is(s(encode(123456789012345678901234567890n)), 'i123456789012345678901234567890e');
  t.is(s(encode(1e21)), 'i1000000000000000000000e', 'not i1e+21e');
  t.is(s(encode(2 ** 60)), `i${(2n ** 60n).toString()}e`);
  t.throws(() => encode(1.5), { instanceOf: BtLabError, message: /non-integer/ });
  t.throws(() => encode(NaN), { instanceOf: BtLabError });
});

test('BEP3-BENC-7: keys sorted as raw bytes (latin1 binary keys), null/undefined entries skipped', (t) => {
  t.is(s(encode({ b: 1, a: 2, aa: 3, '\u00ff': 4, Z: 5 })), 'd1:Zi5e1:ai2e2:aai3e1:bi1e1:\u00ffi4ee');
  t.is(s(encode({ a: undefined, b: null, c: 1 })), 'd1:ci1ee');
  t.throws(() => encode({ '\u4e2d': 1 }), { instanceOf: BtLabError, message: /latin1/ });
});

test('BEP3-BENC-8: JS strings are written as UTF-8; byte strings verbatim', (t) => {
  const e = encode('é');
  t.deepEqual(Array.from(e), [0x32, 0x3a, 0xc3, 0xa9]);
  t.is(fromUtf8(decode(e) as Uint8Array), 'é');
  t.deepEqual(Array.from(encode(new Uint8Array([0, 255]))), [0x32, 0x3a, 0, 255]);
});

test('BRaw splices pre-encoded bytes verbatim (BEP3-META-11 raw info)', (t) => {
  const raw = utf8('d1:bi1e1:ai2ee'); // deliberately non-canonical: must not be re-sorted
  t.is(s(encode({ info: new BRaw(raw), announce: 'x' })), 'd8:announce1:x4:infod1:bi1e1:ai2eee');
});

test('booleans encode as i1e/i0e; unsupported values and cycles are typed errors', (t) => {
  t.is(s(encode([true, false])), 'li1ei0ee');
  t.throws(() => encode([undefined]), { instanceOf: BtLabError });
  t.throws(() => encode((() => 1) as never), { instanceOf: BtLabError });
  const cyc: unknown[] = [];
  cyc.push(cyc);
  t.throws(() => encode(cyc as never), { instanceOf: BtLabError, message: /deeper/ });
});
