import fc from 'fast-check';
import { bytesToKey, type BDict, type BValue } from './types.js';

/**
 * fast-check generators of bencode values, shared by the property tests and bench/fuzz.ts.
 * Integers follow the decoder's representation exactly: a number when safe, a bigint only
 * past 2^53 — so decode(encode(v)) can be compared with deepEqual.
 */
export interface BValueArbOptions {
  /** Max nesting of lists/dicts (default 4). */
  depth?: number;
  /** Restrict to what the npm `bencode` package represents faithfully: safe ints, ASCII keys. */
  npmCompatible?: boolean;
}

const bigOutsideSafe = fc.oneof(
  fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: 1n << 200n }),
  fc.bigInt({ min: -(1n << 200n), max: BigInt(Number.MIN_SAFE_INTEGER) - 1n }),
);

export function bvalueArb(opts: BValueArbOptions = {}): fc.Arbitrary<BValue> {
  const depth = opts.depth ?? 4;
  const compat = opts.npmCompatible ?? false;
  const int: fc.Arbitrary<BValue> = compat
    ? fc.maxSafeInteger()
    : fc.oneof({ weight: 4, arbitrary: fc.maxSafeInteger() as fc.Arbitrary<BValue> }, { weight: 1, arbitrary: bigOutsideSafe as fc.Arbitrary<BValue> });
  const bytes: fc.Arbitrary<BValue> = fc.uint8Array({ maxLength: 24 });
  const key: fc.Arbitrary<string> = compat
    ? fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.-_ '.split('')), maxLength: 8 })
    : fc.uint8Array({ maxLength: 8 }).map((b) => bytesToKey(b));
  const { value } = fc.letrec<{ value: BValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: depth, withCrossShrink: true },
      int,
      bytes,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }).map((o) => {
        // The decoder yields null-prototype dicts; build the same shape so deepEqual holds.
        const d = Object.create(null) as BDict;
        for (const k of Object.keys(o)) d[k] = o[k];
        return d;
      }),
    ),
  }));
  return value;
}

/** Byte-level mutations of a valid input: flips, truncation, insertion, deletion, duplication. */
export function mutatedArb(seed: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(seed, fc.array(fc.tuple(fc.nat(4), fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }))
    .map(([input, ops]) => {
      let b = Array.from(input);
      for (const [op, at, byte] of ops) {
        const i = b.length === 0 ? 0 : at % (b.length + 1);
        if (op === 0 && b.length > 0) b[i % b.length] = byte;
        else if (op === 1) b = b.slice(0, i);
        else if (op === 2) b.splice(i, 0, byte);
        else if (op === 3 && b.length > 0) b.splice(i % b.length, 1);
        else b = b.concat(b.slice(i));
      }
      return Uint8Array.from(b);
    });
}
