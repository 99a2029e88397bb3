import test from 'ava';
import fc from 'fast-check';
import { decode } from './decode.js';
import { encode } from './encode.js';
import { bvalueArb, mutatedArb } from './arbitrary.js';
import { BencodeError } from '../util/errors.js';

const canonical = bvalueArb().map((v) => encode(v));

test('BEP3-BENC-*: decode∘encode is the identity on arbitrary values', (t) => {
  fc.assert(fc.property(bvalueArb(), (v) => { t.deepEqual(decode(encode(v)), v); }), { numRuns: 1500 });
  t.pass();
});

test('BEP3-BENC-*: encode∘decode is the identity on canonical encodings (strict accepts them all)', (t) => {
  fc.assert(fc.property(canonical, (b) => Buffer.from(encode(decode(b))).equals(b)), { numRuns: 1500 });
  t.pass();
});

test('BEP3-BENC-*: lenient decode agrees with strict on canonical input', (t) => {
  fc.assert(fc.property(canonical, (b) => {
    t.deepEqual(decode(b, { strict: false }), decode(b));
  }), { numRuns: 500 });
  t.pass();
});

function onlyTyped(b: Uint8Array, strict: boolean): boolean {
  try {
    decode(b, { strict });
    return true;
  } catch (e) {
    if (!(e instanceof BencodeError)) throw e;
    if (!(e.offset >= 0 && e.offset <= b.length)) throw new Error(`offset ${e.offset} outside input of ${b.length}`);
    return true;
  }
}

test('fuzz: arbitrary bytes either decode or throw BencodeError with an offset inside the input', (t) => {
  const alphabet = fc.uint8Array({ maxLength: 64 });
  // Bytes drawn from the bencode alphabet reach far deeper into the grammar than uniform bytes.
  const tokens = fc.array(fc.constantFrom(...'ilde0123456789:-'.split('').map((c) => c.charCodeAt(0))), { maxLength: 48 }).map((a) => Uint8Array.from(a));
  fc.assert(fc.property(fc.oneof(alphabet, tokens), fc.boolean(), onlyTyped), { numRuns: 3000 });
  t.pass();
});

test('fuzz: mutated valid encodings either decode or throw BencodeError', (t) => {
  fc.assert(fc.property(mutatedArb(canonical), fc.boolean(), (b, strict) => {
    onlyTyped(b, strict);
    // Whatever strict mode accepts must be canonical: re-encoding gives the input back.
    try { if (strict) return Buffer.from(encode(decode(b))).equals(b); } catch (e) { if (!(e instanceof BencodeError)) throw e; }
    return true;
  }), { numRuns: 3000 });
  t.pass();
});
