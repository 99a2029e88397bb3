/**
 * BEP 3 bencoding (BEP3-BENC-1..8) against a codec. Spec vectors from CONFORMANCE.md, plus
 * fast-check properties: round trips, raw-byte key order, and a fuzz of arbitrary bytes.
 */
import fc from 'fast-check';
import { bvalueArb } from '../../core/bencode/arbitrary.js';
import { bytesToKey, isDict, type BDict, type BValue } from '../../core/bencode/types.js';
import { bytesEqual, compareBytes } from '../../core/util/bytes.js';
import { checkProperty } from '../property.js';
import type { ConformanceCase } from '../types.js';
import type { BencodeTarget } from '../targets/types.js';
import { expect, pass, showBytes } from '../verdicts.js';

type C = ConformanceCase<BencodeTarget>;
const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Decode or say why not (for evidence). */
function tryDecode(t: BencodeTarget, input: Uint8Array): { ok: true; v: BValue } | { ok: false; err: unknown } {
  try { return { ok: true, v: t.toBValue(t.decode(input)) }; } catch (err) { return { ok: false, err }; }
}

function mustAccept(t: BencodeTarget, s: string, want: BValue): void {
  const r = tryDecode(t, b(s));
  expect(r.ok, `${JSON.stringify(s)} was rejected: ${r.ok ? '' : String((r.err as Error)?.message ?? r.err)}`);
  expect(same(r.v, want), `${JSON.stringify(s)} decoded to ${show(r.v)}, expected ${show(want)}`);
}

function mustReject(t: BencodeTarget, s: string | Uint8Array, why: string): void {
  const input = typeof s === 'string' ? b(s) : s;
  const r = tryDecode(t, input);
  expect(!r.ok, `${showBytes(input)} (${why}) was accepted as ${r.ok ? show(r.v) : ''}`);
  if (t.isTypedError) expect(t.isTypedError(r.err), `${showBytes(input)} raised an untyped error: ${String(r.err)}`);
}

export function same(a: BValue, c: BValue): boolean {
  if (a instanceof Uint8Array || c instanceof Uint8Array) return a instanceof Uint8Array && c instanceof Uint8Array && bytesEqual(a, c);
  if (typeof a === 'number' || typeof a === 'bigint') return (typeof c === 'number' || typeof c === 'bigint') && BigInt(a) === BigInt(c);
  if (Array.isArray(a)) return Array.isArray(c) && a.length === c.length && a.every((x, i) => same(x, c[i]));
  if (isDict(a) && isDict(c)) {
    const ka = Object.keys(a).sort(), kc = Object.keys(c).sort();
    return ka.length === kc.length && ka.every((k, i) => k === kc[i] && same(a[k], c[k]));
  }
  return false;
}

function show(v: BValue): string {
  if (v instanceof Uint8Array) return showBytes(v, 24);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (isDict(v)) return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}: ${show(v[k])}`).join(', ')}}`;
  return String(v);
}

const dict = (entries: Array<[string, BValue]>): BDict => {
  const d = Object.create(null) as BDict;
  for (const [k, v] of entries) d[k] = v;
  return d;
};

export const bencodeCases: C[] = [
  {
    id: 'BEP3-BENC-1:vectors', clause: 'BEP3-BENC-1', level: 'desc', suite: 'bencode', style: 'exchange',
    title: 'byte strings: `4:spam`, `0:`, and length counts raw bytes',
    async run(t) {
      mustAccept(t, '4:spam', b('spam'));
      mustAccept(t, '0:', new Uint8Array(0));
      mustReject(t, '5:spam', 'length runs past the end');
      return pass('4:spam, 0: accepted; 5:spam rejected');
    },
  },
  {
    id: 'BEP3-BENC-1:round-trip', clause: 'BEP3-BENC-1', level: 'desc', suite: 'bencode', style: 'property',
    title: 'any byte string encodes as <len>:<bytes> and decodes back',
    async run(t, ctx) {
      await checkProperty(ctx, fc.property(fc.uint8Array({ maxLength: 300 }), (s) => {
        const enc = t.encode(s);
        const want = new Uint8Array([...b(`${s.length}:`), ...s]);
        const back = t.toBValue(t.decode(enc));
        return bytesEqual(enc, want) && same(back, s);
      }), { numRuns: 300, what: 'encode(s) = len:s and decode(encode(s)) = s' });
      return pass();
    },
  },
  {
    id: 'BEP3-BENC-2:vectors', clause: 'BEP3-BENC-2', level: 'desc', suite: 'bencode', style: 'exchange',
    title: 'integers: `i3e`, `i-3e`, `i0e`; `ie` and `i1.5e` rejected',
    async run(t) {
      mustAccept(t, 'i3e', 3);
      mustAccept(t, 'i-3e', -3);
      mustAccept(t, 'i0e', 0);
      mustReject(t, 'ie', 'no digits');
      mustReject(t, 'i1.5e', 'not an integer');
      return pass();
    },
  },
  {
    id: 'BEP3-BENC-2:big', clause: 'BEP3-BENC-2', level: 'desc', suite: 'bencode', style: 'property',
    title: 'integers past 2^53 decode exactly or are rejected, never rounded',
    async run(t, ctx) {
      const big = fc.oneof(fc.bigInt({ min: 1n << 53n, max: 1n << 200n }), fc.bigInt({ min: -(1n << 200n), max: -(1n << 53n) }));
      await checkProperty(ctx, fc.property(big, (n) => {
        const r = tryDecode(t, b(`i${n}e`));
        if (!r.ok) return true; // rejecting safely is allowed
        return (typeof r.v === 'bigint' || (typeof r.v === 'number' && Number.isInteger(r.v))) && BigInt(r.v as number | bigint) === n;
      }), { numRuns: 200, what: 'decode(i<n>e) is n exactly (or a rejection)' });
      return pass();
    },
  },
  {
    id: 'BEP3-BENC-3:negative-zero', clause: 'BEP3-BENC-3', level: 'desc', suite: 'bencode', style: 'exchange',
    title: '`i-0e` is invalid',
    async run(t) { mustReject(t, 'i-0e', 'negative zero'); return pass(); },
  },
  {
    id: 'BEP3-BENC-4:leading-zero', clause: 'BEP3-BENC-4', level: 'desc', suite: 'bencode', style: 'exchange',
    title: 'leading zeros are invalid (`i03e`, `i00e`, `i-03e`); only `i0e` starts with 0',
    async run(t) {
      mustReject(t, 'i03e', 'leading zero');
      mustReject(t, 'i00e', 'leading zero');
      mustReject(t, 'i-03e', 'leading zero');
      return pass();
    },
  },
  {
    id: 'BEP3-BENC-5:vectors', clause: 'BEP3-BENC-5', level: 'desc', suite: 'bencode', style: 'exchange',
    title: 'lists: `l4:spam4:eggse`, `le`; an unterminated list is rejected',
    async run(t) {
      mustAccept(t, 'l4:spam4:eggse', [b('spam'), b('eggs')]);
      mustAccept(t, 'le', []);
      mustReject(t, 'l4:spam', 'unterminated');
      return pass();
    },
  },
  {
    id: 'BEP3-BENC-6:vectors', clause: 'BEP3-BENC-6', level: 'must', suite: 'bencode', style: 'exchange',
    title: 'dicts: `d3:cow3:moo4:spam4:eggse`, `d4:spaml1:a1:bee`; a non-string key is rejected',
    async run(t) {
      mustAccept(t, 'd3:cow3:moo4:spam4:eggse', dict([['cow', b('moo')], ['spam', b('eggs')]]));
      mustAccept(t, 'd4:spaml1:a1:bee', dict([['spam', [b('a'), b('b')]]]));
      mustReject(t, 'di1e1:ae', 'integer key');
      mustReject(t, 'd3:cowe', 'key without a value');
      return pass();
    },
  },
  {
    id: 'BEP3-BENC-7:unsorted', clause: 'BEP3-BENC-7', level: 'must', suite: 'bencode', style: 'exchange',
    title: 'unsorted and duplicate keys and trailing data are rejected by a strict decoder',
    async run(t) {
      mustReject(t, 'd1:b0:1:a0:e', 'keys not sorted');
      mustReject(t, 'd1:a0:1:a0:e', 'duplicate key');
      mustReject(t, new Uint8Array([...b('d1:'), 0xe9, ...b('0:1:z0:e')]), 'keys not in raw byte order (0xe9 before z)');
      mustReject(t, 'i1ei2e', 'trailing data');
      return pass();
    },
  },
  {
    id: 'BEP3-BENC-7:encoder-order', clause: 'BEP3-BENC-7', level: 'must', suite: 'bencode', style: 'property',
    title: 'the encoder writes dict keys in raw byte order',
    async run(t, ctx) {
      const keys = fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 6 }).map((k) => bytesToKey(k)), { minLength: 2, maxLength: 8 });
      await checkProperty(ctx, fc.property(keys, (ks) => {
        const d = Object.create(null) as BDict;
        for (const k of ks) d[k] = 0;
        const out = t.encode(d);
        const written = keysOf(out);
        for (let i = 1; i < written.length; i++) if (compareBytes(written[i - 1], written[i]) >= 0) return false;
        return written.length === ks.length;
      }), { numRuns: 300, what: 'encoded keys strictly increase as raw bytes' });
      return pass();
    },
  },
  {
    id: 'BEP3-BENC-7:canonical-fuzz', clause: 'BEP3-BENC-7', level: 'derived', suite: 'bencode', style: 'property',
    title: 'arbitrary bytes either decode to a value that re-encodes to the same bytes, or raise the typed error',
    async run(t, ctx) {
      const valid = bvalueArb({ depth: 3 }).map((v) => t.encode(v));
      const bytes = fc.oneof(fc.uint8Array({ maxLength: 64 }), valid, valid.chain((v) => fc.tuple(fc.constant(v), fc.nat(v.length), fc.integer({ min: 0, max: 255 })).map(([x, i, c]) => { const y = x.slice(); if (y.length) y[i % y.length] = c; return y; })));
      await checkProperty(ctx, fc.property(bytes, (input) => {
        let v: unknown;
        try { v = t.decode(input); } catch (e) { return t.isTypedError ? t.isTypedError(e) : e instanceof Error; }
        return bytesEqual(t.encode(t.toBValue(v)), input);
      }), { numRuns: 2000, what: 'decode accepts only canonical input and fails with the typed error otherwise' });
      return pass();
    },
  },
  {
    id: 'BEP3-BENC-8:binary-keys', clause: 'BEP3-BENC-8', level: 'must', suite: 'bencode', style: 'property',
    title: 'strings and keys are arbitrary bytes (non-UTF-8 survives a round trip)',
    async run(t, ctx) {
      mustAccept(t, 'd2:\xff\xfe1:xe', dict([['\xff\xfe', b('x')]]));
      await checkProperty(ctx, fc.property(bvalueArb({ depth: 3 }), (v) => {
        const enc = t.encode(v);
        return same(t.toBValue(t.decode(enc)), v) && bytesEqual(t.encode(t.toBValue(t.decode(enc))), enc);
      }), { numRuns: 500, what: 'decode(encode(v)) = v for any value (binary keys, big integers)' });
      return pass();
    },
  },
];

/** Top-level dict keys of an encoding, as raw bytes (a tiny reader: only what the case needs). */
function keysOf(enc: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 1;
  const readStr = (): Uint8Array => {
    let n = 0;
    while (enc[i] !== 0x3a) n = n * 10 + enc[i++] - 48;
    i++;
    const s = enc.subarray(i, i + n);
    i += n;
    return s;
  };
  const skip = (): void => {
    const c = enc[i];
    if (c === 0x69) { while (enc[i] !== 0x65) i++; i++; } else if (c === 0x6c || c === 0x64) { i++; while (enc[i] !== 0x65) { if (c === 0x64) readStr(); skip(); } i++; } else readStr();
  };
  while (i < enc.length && enc[i] !== 0x65) { out.push(readStr()); skip(); }
  return out;
}
