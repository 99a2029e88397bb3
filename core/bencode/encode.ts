import { utf8 } from '../util/bytes.js';
import { BtLabError } from '../util/errors.js';
import type { BValue } from './types.js';

/**
 * Bytes that are already one bencoded value, written verbatim. Used to splice a raw `info`
 * dict into a .torrent without re-encoding it (BEP3-META-11: the info hash is over those
 * exact bytes). The caller vouches that they are one valid value.
 */
export class BRaw {
  constructor(readonly bytes: Uint8Array) {}
}

export type Encodable =
  | BValue | BRaw | string | boolean | undefined | null
  | Encodable[] | { [k: string]: Encodable };

const MAX_DEPTH = 1000;

/**
 * Canonical bencode: dict keys sorted as raw bytes (BEP3-BENC-7), integers exact (bigint,
 * and numbers past 2^53 written as their exact value, never `1e+21`), JS strings written as
 * UTF-8, dict entries whose value is undefined/null skipped.
 * Dict keys are latin1 "binary" strings (see types.ts) so any byte key round-trips; a key
 * holding a char above U+00FF cannot be one, and is refused rather than guessed at.
 */
export function encode(v: Encodable): Uint8Array {
  // One growing output buffer, ASCII written byte by byte: no intermediate array per token
  // (those small allocations made the garbage collector the main cost on big torrents).
  let out = new Uint8Array(256);
  let o = 0;
  const ensure = (n: number) => {
    if (o + n <= out.length) return;
    let size = out.length * 2;
    while (size < o + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(out.subarray(0, o));
    out = next;
  };
  const push = (b: Uint8Array) => { ensure(b.length); out.set(b, o); o += b.length; };
  const ascii = (s: string) => { ensure(s.length); for (let i = 0; i < s.length; i++) out[o++] = s.charCodeAt(i); };
  const byte = (c: number) => { ensure(1); out[o++] = c; };
  const fail = (msg: string): never => { throw new BtLabError('EBENCODE', `bencode: ${msg}`); };
  const walk = (x: Encodable, depth: number): void => {
    if (x instanceof Uint8Array) { ascii(`${x.length}:`); push(x); return; }
    if (typeof x === 'string') {
      // Pure ASCII (keys, URLs, most names) goes straight in; anything else via UTF-8.
      if (/^[\x00-\x7f]*$/.test(x)) { ascii(`${x.length}:`); ascii(x); return; }
      const b = utf8(x); ascii(`${b.length}:`); push(b); return;
    }
    if (typeof x === 'number') {
      if (!Number.isInteger(x)) fail(`cannot encode non-integer ${x}`);
      ascii(Number.isSafeInteger(x) ? `i${x === 0 ? 0 : x}e` : `i${BigInt(x).toString()}e`);
      return;
    }
    if (typeof x === 'bigint') { ascii(`i${x.toString()}e`); return; }
    if (typeof x === 'boolean') { ascii(x ? 'i1e' : 'i0e'); return; }
    if (x instanceof BRaw) { push(x.bytes); return; }
    // A cycle or absurd nesting would otherwise end in a RangeError from the JS stack.
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} (a cycle?)`);
    if (Array.isArray(x)) { byte(0x6c); for (const e of x) walk(e, depth + 1); byte(0x65); return; }
    if (x && typeof x === 'object') {
      const obj = x as Record<string, Encodable>;
      const keys = Object.keys(obj).filter((k) => obj[k] != null);
      for (const k of keys) if (/[^\u0000-\u00ff]/.test(k)) fail(`dictionary key ${JSON.stringify(k)} is not a binary (latin1) string`);
      // Binary keys: UTF-16 code unit order = raw byte order (BEP3-BENC-7).
      keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      byte(0x64);
      for (const k of keys) { ascii(`${k.length}:`); ascii(k); walk(obj[k], depth + 1); }
      byte(0x65);
      return;
    }
    fail(`cannot encode ${typeof x}`);
  };
  walk(v, 0);
  return out.slice(0, o);
}
