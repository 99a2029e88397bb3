import { BencodeError } from '../util/errors.js';
import { bytesToKey, type BDict, type BValue } from './types.js';

export interface DecodeOptions {
  /**
   * Reject non-canonical input (default true): leading zeros (`i03e`, `03:abc`), `i-0e`,
   * unsorted keys. Lenient mode (false) reads such real-world files, but truncated input,
   * duplicate keys, non-string keys and malformed tokens stay errors in both modes.
   */
  strict?: boolean;
  /** Maximum nesting depth of lists/dicts (default 64): hostile input cannot exhaust the stack. */
  maxDepth?: number;
  /** Maximum input size in bytes (default: no limit; the caller already holds the buffer). */
  maxLength?: number;
  /**
   * Maximum number of values (strings, integers, lists, dicts, keys not counted) (default
   * 4,000,000). Each decoded value costs tens of bytes of heap for a few bytes of input
   * (`le` → an array object), so this bounds the memory a hostile input can claim.
   */
  maxElements?: number;
  /**
   * Maximum decimal digits of an integer (default 64, ~2^212). BEP3-BENC-2 sets no limit, but
   * parsing a megabyte of digits into a bigint is quadratic: a cheap denial of service.
   */
  maxIntegerDigits?: number;
  /** Record [start, end) byte spans of each top-level dict value (used for the raw info slice, BEP3-META-11). */
  spans?: boolean;
}

export interface DecodeResult {
  value: BValue;
  /** Bytes consumed. */
  end: number;
  /** With opts.spans: top-level dict key → [start, end). */
  spans?: Map<string, [number, number]>;
}

/**
 * Decode exactly one value that spans the whole buffer (trailing data is an error, BEP3-BENC-7).
 * Byte strings come back as plain Uint8Array views into one private copy of `buf` (never
 * aliases of it): mind byteOffset if you reach for `.buffer`, and copy before transferring.
 */
export function decode(buf: Uint8Array, opts: DecodeOptions = {}): BValue {
  const r = decodePrefix(buf, opts);
  if (r.end !== buf.length) throw new BencodeError('trailing data after the value', r.end);
  return r.value;
}

/** Like decode() but also returns the top-level spans (for the raw `info` slice). */
export function decodeWithSpans(buf: Uint8Array, opts: DecodeOptions = {}): { value: BValue; spans: Map<string, [number, number]> } {
  const r = decodePrefix(buf, { ...opts, spans: true });
  if (r.end !== buf.length) throw new BencodeError('trailing data after the value', r.end);
  return { value: r.value, spans: r.spans! };
}

const D0 = 0x30, D9 = 0x39, MINUS = 0x2d, COLON = 0x3a;
const I = 0x69, L = 0x6c, D = 0x64, E = 0x65;

/** Decode one value at the start of `buf`; report where it ended. */
export function decodePrefix(input: Uint8Array, opts: DecodeOptions = {}): DecodeResult {
  const buf = plainView(input);
  // Byte strings are returned as views into ONE private copy of the input: the caller may
  // reuse its buffer, yet we avoid one ArrayBuffer per string (which made the garbage
  // collector the main cost on a 10,000-file torrent). Taken lazily, at the first string.
  // (A Node Buffer's own slice() would alias the caller's memory, hence plainView.)
  let copy: Uint8Array | undefined;
  const strict = opts.strict ?? true;
  const maxDepth = opts.maxDepth ?? 64;
  const maxElements = opts.maxElements ?? 4_000_000;
  const maxDigits = opts.maxIntegerDigits ?? 64;
  if (opts.maxLength !== undefined && buf.length > opts.maxLength) {
    throw new BencodeError(`input of ${buf.length} bytes exceeds the ${opts.maxLength}-byte limit`, 0);
  }
  const spans = opts.spans ? new Map<string, [number, number]>() : undefined;
  const n = buf.length;
  let pos = 0;
  let elements = 0;

  const fail = (reason: string, at = pos): never => { throw new BencodeError(reason, at); };

  const describe = (at: number): string => (at >= n ? 'end of input' : `byte 0x${buf[at].toString(16).padStart(2, '0')}`);

  /** Integer body after `i` (BEP3-BENC-2..4). */
  const readInt = (): number | bigint => {
    const start = pos - 1; // the 'i'
    let neg = false;
    if (pos < n && buf[pos] === MINUS) { neg = true; pos++; }
    const digitsStart = pos;
    while (pos < n && buf[pos] >= D0 && buf[pos] <= D9) pos++;
    const nd = pos - digitsStart;
    if (pos >= n) fail('truncated integer', start);
    if (buf[pos] !== E) fail(`unexpected ${describe(pos)} in integer`);
    if (nd === 0) fail('integer has no digits', start); // `ie`, `i-e`
    if (nd > maxDigits) fail(`integer has more than ${maxDigits} digits`, start);
    const zeroLead = buf[digitsStart] === D0;
    if (strict && zeroLead && nd > 1) fail('integer has a leading zero (BEP3-BENC-4)', start);
    if (strict && neg && zeroLead && nd === 1) fail('integer is negative zero (BEP3-BENC-3)', start);
    pos++; // 'e'
    if (nd <= 15) {
      // ≤ 15 digits is always below 2^53: fold the digits directly (no string, no bigint).
      let v = 0;
      for (let i = digitsStart; i < digitsStart + nd; i++) v = v * 10 + (buf[i] - D0);
      return neg && v !== 0 ? -v : v; // lenient `i-0e` reads as 0, never -0
    }
    let s = '';
    for (let i = digitsStart; i < digitsStart + nd; i++) s += String.fromCharCode(buf[i]);
    const big = neg ? -BigInt(s) : BigInt(s);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  };

  /** `<len>:<bytes>` (BEP3-BENC-1); returns the payload span without copying. */
  const readStringSpan = (): [number, number] => {
    const start = pos;
    let len = 0;
    while (pos < n && buf[pos] >= D0 && buf[pos] <= D9) {
      len = len * 10 + (buf[pos] - D0);
      // Past the input size the length is wrong anyway; stop before the number loses precision.
      if (len > n) fail('string length runs past the end of input', start);
      pos++;
    }
    if (pos >= n) fail('truncated string length', start);
    if (buf[pos] !== COLON) fail(`unexpected ${describe(pos)} in string length`);
    if (strict && buf[start] === D0 && pos - start > 1) fail('string length has a leading zero (BEP3-BENC-4)', start);
    pos++; // ':'
    // Checked before any allocation: a hostile `4294967295:` costs nothing.
    if (len > n - pos) fail('string length runs past the end of input', start);
    const s = pos;
    pos += len;
    return [s, pos];
  };

  const count = (): void => {
    if (++elements > maxElements) fail(`more than ${maxElements} values`);
  };

  const value = (depth: number): BValue => {
    if (pos >= n) fail('truncated input');
    const c = buf[pos];
    if (c === I) { count(); pos++; return readInt(); }
    if (c >= D0 && c <= D9) { count(); const [s, e] = readStringSpan(); copy ??= buf.slice(); return copy.subarray(s, e); }
    if (c === L) {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      count();
      pos++;
      const out: BValue[] = [];
      for (;;) {
        if (pos >= n) fail('truncated list');
        if (buf[pos] === E) { pos++; return out; }
        out.push(value(depth + 1));
      }
    }
    if (c === D) {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      count();
      const top = depth === 0;
      pos++;
      const out = Object.create(null) as BDict;
      let prev: string | undefined;
      for (;;) {
        if (pos >= n) fail('truncated dictionary');
        if (buf[pos] === E) { pos++; return out; }
        const keyAt = pos;
        if (!(buf[pos] >= D0 && buf[pos] <= D9)) fail(`dictionary key is not a byte string (${describe(pos)}) (BEP3-BENC-6)`);
        const [ks, ke] = readStringSpan();
        const key = bytesToKey(buf, ks, ke);
        // Latin1 "binary" keys: JS string order = raw byte order (BEP3-BENC-7).
        if (strict && prev !== undefined && key <= prev) {
          fail(key === prev ? `duplicate dictionary key ${JSON.stringify(key)}` : `dictionary keys not sorted (${JSON.stringify(key)} after ${JSON.stringify(prev)}) (BEP3-BENC-7)`, keyAt);
        }
        // Even lenient mode refuses duplicates: which of the two values is "the" value is
        // ambiguous, and two clients picking differently is how info-hash confusion starts.
        if (key in out) fail(`duplicate dictionary key ${JSON.stringify(key)}`, keyAt);
        prev = key;
        if (pos >= n) fail('dictionary key without a value', keyAt);
        const vs = pos;
        out[key] = value(depth + 1);
        if (top && spans) spans.set(key, [vs, pos]);
      }
    }
    return fail(`unexpected ${describe(pos)}`);
  };

  const v = value(0);
  return { value: v, end: pos, spans };
}

/** The same memory as a plain Uint8Array (no copy). */
export function plainView(b: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
