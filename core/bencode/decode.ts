import { BencodeError } from '../util/errors.js';
import { bytesToKey, type BDict, type BValue } from './types.js';

export interface DecodeOptions {
  /** Reject non-canonical input (default true): leading zeros, i-0e, unsorted/duplicate keys. */
  strict?: boolean;
  /** Maximum nesting depth (default 64): hostile input cannot exhaust the stack. */
  maxDepth?: number;
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

/** Decode exactly one value that spans the whole buffer (trailing data is an error). */
export function decode(buf: Uint8Array, opts: DecodeOptions = {}): BValue {
  const r = decodePrefix(buf, opts);
  if (r.end !== buf.length) throw new BencodeError('trailing data after the value', r.end);
  return r.value;
}

/** Decode one value at the start of `buf`; report where it ended. */
export function decodePrefix(buf: Uint8Array, opts: DecodeOptions = {}): DecodeResult {
  const strict = opts.strict ?? true;
  const maxDepth = opts.maxDepth ?? 64;
  const spans = opts.spans ? new Map<string, [number, number]>() : undefined;
  let pos = 0;

  const fail = (reason: string, at = pos): never => { throw new BencodeError(reason, at); };

  const readInt = (terminator: number, what: string): number | bigint => {
    const start = pos;
    let neg = false;
    if (buf[pos] === 0x2d) { neg = true; pos++; }
    const digitsStart = pos;
    while (pos < buf.length && buf[pos] >= 0x30 && buf[pos] <= 0x39) pos++;
    if (pos >= buf.length) fail(`truncated ${what}`, start);
    if (buf[pos] !== terminator) fail(`unexpected byte 0x${buf[pos].toString(16)} in ${what}`);
    const nd = pos - digitsStart;
    if (nd === 0) fail(`${what} has no digits`, start);
    if (strict && buf[digitsStart] === 0x30 && nd > 1) fail(`${what} has a leading zero`, start);
    if (strict && neg && nd === 1 && buf[digitsStart] === 0x30) fail(`${what} is negative zero`, start);
    let s = '';
    for (let i = digitsStart; i < pos; i++) s += String.fromCharCode(buf[i]);
    pos++; // terminator
    if (nd <= 15) { const n = Number(s); return neg ? -n : n; }
    const big = BigInt(s) * (neg ? -1n : 1n);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  };

  const readBytesSpan = (): [number, number] => {
    const start = pos;
    if (buf[pos] === 0x2d) fail('negative string length');
    const len = readInt(0x3a, 'string length');
    if (typeof len === 'bigint' || len > buf.length - pos) fail('string length runs past the end of input', start);
    const s = pos;
    pos += len as number;
    return [s, pos];
  };

  const value = (depth: number): BValue => {
    if (pos >= buf.length) fail('truncated input');
    const c = buf[pos];
    if (c === 0x69) { pos++; return readInt(0x65, 'integer'); } // i
    if (c >= 0x30 && c <= 0x39) { const [s, e] = readBytesSpan(); return buf.slice(s, e); }
    if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
    if (c === 0x6c) { // l
      pos++;
      const out: BValue[] = [];
      while (true) {
        if (pos >= buf.length) fail('truncated list');
        if (buf[pos] === 0x65) { pos++; return out; }
        out.push(value(depth + 1));
      }
    }
    if (c === 0x64) { // d
      const top = depth === 0;
      pos++;
      const out: BDict = Object.create(null) as BDict;
      let prev: string | undefined;
      while (true) {
        if (pos >= buf.length) fail('truncated dictionary');
        if (buf[pos] === 0x65) { pos++; return out; }
        const keyAt = pos;
        if (!(buf[pos] >= 0x30 && buf[pos] <= 0x39)) fail('dictionary key is not a byte string');
        const [ks, ke] = readBytesSpan();
        const key = bytesToKey(buf, ks, ke);
        if (prev !== undefined) {
          if (key === prev) fail(`duplicate dictionary key "${key}"`, keyAt);
          if (strict && key < prev) fail(`dictionary keys not sorted ("${key}" after "${prev}")`, keyAt);
        }
        if (key in out) fail(`duplicate dictionary key "${key}"`, keyAt);
        prev = key;
        const vs = pos;
        out[key] = value(depth + 1);
        if (top && spans) spans.set(key, [vs, pos]);
      }
    }
    return fail(`unexpected byte 0x${c.toString(16)}`);
  };

  const v = value(0);
  return { value: v, end: pos, spans };
}
