import test from 'ava';
import fc from 'fast-check';
import { StorageError } from '../util/errors.js';
import { decodeResume, encodeResume, packBits, unpackBits, type ResumeRecord } from './resume-codec.js';

const recordArb: fc.Arbitrary<ResumeRecord> = fc.record({
  infoHash: fc.uint8Array({ minLength: 20, maxLength: 20 }),
  pieceLength: fc.integer({ min: 1, max: 1 << 24 }),
  have: fc.array(fc.boolean(), { maxLength: 70 }),
  clean: fc.boolean(),
  files: fc.array(fc.option(fc.record({ size: fc.nat(), mtimeNs: fc.bigInt({ min: 0n, max: 1n << 70n }) })), { maxLength: 5 }),
}).map((r) => ({ ...r, pieceCount: r.have.length }));

test('resume record round-trips through encode/decode', (t) => {
  fc.assert(fc.property(recordArb, (r) => {
    t.deepEqual(decodeResume(encodeResume(r)), r);
  }), { numRuns: 500 });
});

test('bitfield packing uses the BEP 3 layout (piece 0 = high bit)', (t) => {
  t.deepEqual([...packBits([true, false, false, false, false, false, false, false, false, true])], [0x80, 0x40]);
  t.deepEqual(unpackBits(new Uint8Array([0x80, 0x40]), 10), [true, false, false, false, false, false, false, false, false, true]);
});

test('fuzz: arbitrary bytes decode or throw StorageError only', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
    try { decodeResume(b); return true; } catch (e) { return e instanceof StorageError; }
  }), { numRuns: 2000 });
  t.pass();
});

test('fuzz: mutated valid records decode or throw StorageError only', (t) => {
  fc.assert(fc.property(recordArb, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }), (r, muts) => {
    const b = encodeResume(r);
    for (const [at, v] of muts) b[at % b.length] = v;
    try { decodeResume(b); return true; } catch (e) { return e instanceof StorageError; }
  }), { numRuns: 2000 });
  t.pass();
});

test('non-zero spare bits and wrong bitfield length are rejected', (t) => {
  const r: ResumeRecord = { infoHash: new Uint8Array(20), pieceLength: 4, pieceCount: 3, have: [true, false, true], clean: true, files: [] };
  const b = encodeResume(r);
  const i = b.indexOf(0xa0); // 1010 0000 = pieces 0 and 2
  b[i] = 0xa1;
  t.throws(() => decodeResume(b), { instanceOf: StorageError });
  t.throws(() => decodeResume(encodeResume({ ...r, pieceCount: 9 })), { instanceOf: StorageError });
});
