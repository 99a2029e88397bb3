import { compareBytes, utf8 } from '../util/bytes.js';
import { BtLabError } from '../util/errors.js';
import { keyToBytes, type BValue } from './types.js';

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
  const parts: Uint8Array[] = [];
  let total = 0;
  const push = (b: Uint8Array) => { parts.push(b); total += b.length; };
  const ascii = (s: string) => push(keyToBytes(s));
  const fail = (msg: string): never => { throw new BtLabError('EBENCODE', `bencode: ${msg}`); };
  const walk = (x: Encodable, depth: number): void => {
    if (x instanceof Uint8Array) { ascii(`${x.length}:`); push(x); return; }
    if (typeof x === 'string') { const b = utf8(x); ascii(`${b.length}:`); push(b); return; }
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
    if (Array.isArray(x)) { ascii('l'); for (const e of x) walk(e, depth + 1); ascii('e'); return; }
    if (x && typeof x === 'object') {
      const obj = x as Record<string, Encodable>;
      const keys = Object.keys(obj).filter((k) => obj[k] != null).map((k) => {
        if (/[^\u0000-\u00ff]/.test(k)) fail(`dictionary key ${JSON.stringify(k)} is not a binary (latin1) string`);
        return [k, keyToBytes(k)] as const;
      }).sort((a, b) => compareBytes(a[1], b[1]));
      ascii('d');
      for (const [k, kb] of keys) { ascii(`${kb.length}:`); push(kb); walk(obj[k], depth + 1); }
      ascii('e');
      return;
    }
    fail(`cannot encode ${typeof x}`);
  };
  walk(v, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
