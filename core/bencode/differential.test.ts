import test from 'ava';
import fc from 'fast-check';
import bencode from 'bencode';
import { decode } from './decode.js';
import { encode } from './encode.js';
import { bvalueArb } from './arbitrary.js';
import { utf8 } from '../util/bytes.js';

// The npm `bencode` package as an independent reference (see index.ts for why it is not our
// decoder). On canonical values it can represent (safe integers, ASCII keys) both must agree.
const compat = bvalueArb({ npmCompatible: true });

/** Normalise the npm decoder's output (plain objects) to ours (null-prototype dicts). */
function norm(v: unknown): unknown {
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === 'object') {
    const d = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v)) d[k] = norm((v as Record<string, unknown>)[k]);
    return d;
  }
  return v;
}

test('differential: our encoder and npm bencode produce the same bytes on canonical values', (t) => {
  fc.assert(fc.property(compat, (v) => Buffer.from(encode(v)).equals(Buffer.from(bencode.encode(v)))), { numRuns: 1000 });
  t.pass();
});

test('differential: our decoder and npm bencode read canonical encodings the same', (t) => {
  fc.assert(fc.property(compat, (v) => {
    const b = encode(v);
    t.deepEqual(norm(bencode.decode(b)), decode(b));
  }), { numRuns: 1000 });
  t.pass();
});

test('differential: the known lenient spots of npm bencode are errors for us (BEP3-BENC-3/4/7)', (t) => {
  for (const s of ['i03e', 'i-0e', 'ie', '03:abc', 'd1:bi1e1:ai2ee', 'd1:ai1e1:ai2ee', 'i1ei2e']) {
    t.notThrows(() => bencode.decode(utf8(s)), `npm accepts ${s}`);
    t.throws(() => decode(utf8(s)), undefined, `we reject ${s}`);
  }
});
