import test from 'ava';
import { decode, decodePrefix, decodeWithSpans } from './decode.js';
import { BencodeError } from '../util/errors.js';
import { utf8 } from '../util/bytes.js';
import type { BValue } from './types.js';

const dec = (s: string, strict = true) => decode(utf8(s), { strict });
const bytes = (s: string) => utf8(s);
const dict = (o: Record<string, BValue>) => Object.assign(Object.create(null), o);

/** Assert a decode failure: a BencodeError whose offset points inside (or at the end of) the input. */
function rejects(t: import('ava').ExecutionContext, s: string, offset?: number, strict = true, reason?: RegExp) {
  const e = t.throws(() => dec(s, strict), { instanceOf: BencodeError }, `should reject ${JSON.stringify(s)}`);
  if (!e) return;
  t.true(e.offset >= 0 && e.offset <= s.length, `offset ${e.offset} within input`);
  if (offset !== undefined) t.is(e.offset, offset, `offset of ${JSON.stringify(s)}`);
  if (reason) t.regex(e.message, reason);
}

// Spec test vectors (CONFORMANCE.md "Spec test vectors").
test('BEP3-BENC-1: 4:spam is the byte string "spam"', (t) => {
  t.deepEqual(dec('4:spam'), bytes('spam'));
  t.deepEqual(dec('0:'), new Uint8Array(0));
});

test('BEP3-BENC-2: i3e, i-3e, i0e', (t) => {
  t.is(dec('i3e'), 3);
  t.is(dec('i-3e'), -3);
  t.is(dec('i0e'), 0);
});

test('BEP3-BENC-2: integers past 2^53 stay exact as bigint; safe ones are numbers', (t) => {
  t.is(dec('i9007199254740991e'), 9007199254740991);
  t.is(dec('i-9007199254740991e'), -9007199254740991);
  t.is(dec('i9007199254740992e'), 9007199254740992n);
  t.is(dec('i-123456789012345678901234567890e'), -123456789012345678901234567890n);
  t.is(dec('i0000000000000000000001e', false), 1, 'lenient: many leading zeros still a safe number');
});

test('BEP3-BENC-3: i-0e is invalid (strict)', (t) => {
  rejects(t, 'i-0e', 0, true, /negative zero/);
});

test('BEP3-BENC-4: leading zeros are invalid: i03e, i-03e, 03:abc', (t) => {
  rejects(t, 'i03e', 0, true, /leading zero/);
  rejects(t, 'i-03e', 0, true, /leading zero/);
  rejects(t, 'i00e', 0, true, /leading zero/);
  rejects(t, '03:abc', 0, true, /leading zero/);
  rejects(t, '00:', 0, true, /leading zero/);
});

test('BEP3-BENC-5: l4:spam4:eggse', (t) => {
  t.deepEqual(dec('l4:spam4:eggse'), [bytes('spam'), bytes('eggs')]);
  t.deepEqual(dec('le'), []);
});

test('BEP3-BENC-6: d3:cow3:moo4:spam4:eggse and d4:spaml1:a1:bee', (t) => {
  t.deepEqual(dec('d3:cow3:moo4:spam4:eggse'), dict({ cow: bytes('moo'), spam: bytes('eggs') }));
  t.deepEqual(dec('d4:spaml1:a1:bee'), dict({ spam: [bytes('a'), bytes('b')] }));
  t.deepEqual(dec('de'), dict({}));
});

test('BEP3-BENC-6: dict keys must be byte strings', (t) => {
  rejects(t, 'di1ei2ee', 1, true, /not a byte string/);
  rejects(t, 'dle1:ae', 1, false, /not a byte string/);
  rejects(t, 'd1:ae', 4, true); // key without value
});

test('BEP3-BENC-7: keys must be sorted as raw bytes; duplicates rejected', (t) => {
  rejects(t, 'd1:bi1e1:ai2ee', 7, true, /not sorted/);
  rejects(t, 'd1:ai1e1:ai2ee', 7, true, /duplicate/);
  // Raw byte order, not UTF-16 or locale: 0x7a 'z' < 0xc3 (first byte of 'é' in UTF-8).
  const ok = new Uint8Array([...bytes('d1:zi1e2:'), 0xc3, 0xa9, ...bytes('i2ee')]);
  t.deepEqual(Object.keys(decode(ok) as object), ['z', '\u00c3\u00a9']);
  t.deepEqual(Object.keys(dec('d1:ai1e2:aai2e1:bi3ee') as object), ['a', 'aa', 'b'], 'a prefix sorts first');
});

test('BEP3-BENC-7: trailing data is rejected, in both modes', (t) => {
  rejects(t, 'i1ei2e', 3, true, /trailing/);
  rejects(t, '4:spamx', 6, false, /trailing/);
  const r = decodePrefix(bytes('i1ei2e'));
  t.is(r.value, 1);
  t.is(r.end, 3);
});

test('BEP3-BENC-8: strings and keys are arbitrary bytes, never assumed UTF-8', (t) => {
  const raw = new Uint8Array([0x64, 0x32, 0x3a, 0xff, 0x00, 0x32, 0x3a, 0x80, 0xfe, 0x65]); // d2:\xff\x00 2:\x80\xfe e
  const v = decode(raw) as Record<string, Uint8Array>;
  t.deepEqual(Object.keys(v), ['\u00ff\u0000']);
  t.deepEqual(v['\u00ff\u0000'], new Uint8Array([0x80, 0xfe]));
});

test('malformed tokens are rejected with the offset of the fault', (t) => {
  rejects(t, '', 0, true, /truncated/);
  rejects(t, 'ie', 0, true, /no digits/);
  rejects(t, 'i-e', 0, true, /no digits/);
  rejects(t, '-', 0, true, /unexpected/);
  rejects(t, 'i', 0, true, /truncated/);
  rejects(t, 'i12', 0, true, /truncated/);
  rejects(t, 'i1.5e', 2, true, /unexpected/);
  rejects(t, 'i--1e', 2, true);
  rejects(t, 'i+1e', 1, true);
  rejects(t, '-1:a', 0, true);
  rejects(t, '5:spam', 0, true, /past the end/);
  rejects(t, '4spam', 1, true);
  rejects(t, '4', 0, true, /past the end/);
  rejects(t, '0', 0, true, /truncated/);
  rejects(t, 'l4:spam', 7, true, /truncated list/);
  rejects(t, 'd3:cow3:moo', 11, true, /truncated dictionary/);
  rejects(t, 'e', 0, true, /unexpected/);
  rejects(t, 'x', 0, true, /unexpected/);
});

test('lenient mode reads non-canonical files but never truncated or ambiguous ones', (t) => {
  t.is(dec('i03e', false), 3);
  t.is(dec('i-0e', false), 0);
  t.false(Object.is(dec('i-0e', false), -0), 'never -0');
  t.deepEqual(dec('03:abc', false), bytes('abc'));
  t.deepEqual(Object.keys(dec('d1:bi1e1:ai2ee', false) as object).sort(), ['a', 'b']);
  rejects(t, 'd1:ai1e1:ai2ee', 7, false, /duplicate/);
  rejects(t, '4:spa', 0, false, /past the end/);
  rejects(t, 'ie', 0, false, /no digits/);
  rejects(t, 'l', 1, false, /truncated/);
});

test('a huge string length prefix fails before any allocation', (t) => {
  rejects(t, '4294967295:ab', 0, true, /past the end/);
  rejects(t, '99999999999999999999999999999:', 0, true, /past the end/);
});

test('limits: depth, elements, input size, integer digits', (t) => {
  const deep = 'l'.repeat(65) + 'e'.repeat(65);
  t.throws(() => dec(deep), { instanceOf: BencodeError, message: /nesting deeper than 64/ });
  t.notThrows(() => dec('l'.repeat(64) + 'e'.repeat(64)));
  t.notThrows(() => decode(bytes(deep), { maxDepth: 100 }));
  // A million nested lists: a typed error, not a stack overflow.
  const huge = new Uint8Array(1_000_000).fill(0x6c);
  t.throws(() => decode(huge), { instanceOf: BencodeError, message: /nesting/ });
  t.throws(() => decode(bytes('li1ei2ei3ee'), { maxElements: 3 }), { instanceOf: BencodeError, message: /more than 3 values/ });
  t.notThrows(() => decode(bytes('li1ei2ee'), { maxElements: 3 }));
  t.throws(() => decode(bytes('i1e'), { maxLength: 2 }), { instanceOf: BencodeError, message: /limit/ });
  t.throws(() => dec(`i${'9'.repeat(65)}e`), { instanceOf: BencodeError, message: /more than 64 digits/ });
  t.is(decode(bytes(`i${'9'.repeat(65)}e`), { maxIntegerDigits: 100 }), BigInt('9'.repeat(65)));
});

test('BEP3-META-11: spans give the raw slice of each top-level value, as it stands (lenient too)', (t) => {
  const s = 'd4:infod1:bi1e1:ai02ee3:zzzi1ee';
  const { spans } = decodeWithSpans(bytes(s), { strict: false });
  const [a, b] = spans.get('info')!;
  t.is(s.slice(a, b), 'd1:bi1e1:ai02ee');
  t.is(s.slice(...spans.get('zzz')!), 'i1e');
});

test('a Buffer input yields plain, independent Uint8Array copies (Buffer.slice would alias)', (t) => {
  const input = Buffer.from('l4:spame');
  const v = decode(input) as Uint8Array[];
  t.is(Object.getPrototypeOf(v[0]), Uint8Array.prototype);
  input[3] = 0x58; // 'X'
  t.deepEqual(v[0], bytes('spam'));
});
