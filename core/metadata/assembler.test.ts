import test from 'ava';
import fc from 'fast-check';
import { ProtocolError } from '../util/errors.js';
import { seededRandom } from '../util/prng.js';
import { sha1 } from '../util/sha1.js';
import { MetadataAssembler, metadataPieceCount, metadataPieceLength } from './assembler.js';

const info = (n: number) => seededRandom(n).bytes(n);
const slice = (b: Uint8Array, i: number) => b.subarray(i * 16384, (i + 1) * 16384);

test('BEP9-META-2: pieces of 16384 from index 0, only the last shorter', (t) => {
  t.is(metadataPieceCount(34256), 3);
  t.deepEqual([0, 1, 2, 3].map((i) => metadataPieceLength(34256, i)), [16384, 16384, 1488, 0]);
  t.is(metadataPieceCount(16384), 1);
  t.is(metadataPieceLength(16384, 0), 16384);
});

test('BEP9-META-1: pieces in any order assemble to the info dict when the SHA-1 matches', (t) => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 70_000 }), fc.integer(), (size, seed) => {
    const raw = info(size);
    const a = new MetadataAssembler(sha1(raw), size);
    const order = a.missing();
    const rng = seededRandom(seed);
    for (let i = order.length - 1; i > 0; i--) { const j = rng.int(i + 1); [order[i], order[j]] = [order[j], order[i]]; }
    let last;
    for (const i of order) last = a.add(i, slice(raw, i).slice(), 'p');
    t.is(last?.status, 'complete');
    t.deepEqual(a.info, raw);
  }), { numRuns: 40 });
});

test('BEP9-META-1: bad data → mismatch, reset, contributors named; then a good retry completes', (t) => {
  const raw = info(40_000);
  const a = new MetadataAssembler(sha1(raw), raw.length);
  a.add(0, slice(raw, 0).slice(), 'honest');
  const bad = slice(raw, 1).slice(); bad[5] ^= 1;
  t.is(a.add(1, bad, 'liar').status, 'stored');
  const r = a.add(2, slice(raw, 2).slice(), 'honest');
  t.deepEqual(r, { status: 'mismatch', contributors: ['honest', 'liar'] });
  t.deepEqual(a.missing(), [0, 1, 2]);
  for (let i = 0; i < 3; i++) a.add(i, slice(raw, i).slice(), 'x');
  t.true(a.complete);
});

test('BEP9-META-2: wrong sizes, indexes and total_size are ProtocolErrors that leave state alone', (t) => {
  const raw = info(20_000);
  const a = new MetadataAssembler(sha1(raw), raw.length);
  t.throws(() => a.add(0, new Uint8Array(100), 'p'), { instanceOf: ProtocolError });
  t.throws(() => a.add(1, new Uint8Array(100), 'p'), { instanceOf: ProtocolError }); // last must be 3616
  t.throws(() => a.add(2, new Uint8Array(10), 'p'), { instanceOf: ProtocolError });
  t.throws(() => a.add(0, slice(raw, 0), 'p', 99), { instanceOf: ProtocolError });
  t.deepEqual(a.missing(), [0, 1]);
  t.is(a.add(0, slice(raw, 0), 'p').status, 'stored');
  t.is(a.add(0, slice(raw, 0), 'p').status, 'duplicate');
});

test('metadata_size sanity cap: 0, negative, fractional or > 8 MiB is refused', (t) => {
  for (const s of [0, -1, 1.5, 8 * 1024 * 1024 + 1, Number.NaN]) t.throws(() => new MetadataAssembler(new Uint8Array(20), s), { instanceOf: ProtocolError });
  t.notThrows(() => new MetadataAssembler(new Uint8Array(20), 8 * 1024 * 1024));
});
