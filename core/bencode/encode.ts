import { compareBytes, utf8 } from '../util/bytes.js';
import { BtLabError } from '../util/errors.js';
import { keyToBytes, type BValue } from './types.js';

type Encodable = BValue | string | boolean | undefined | null | Encodable[] | { [k: string]: Encodable };

/**
 * Canonical bencode: dict keys sorted as raw bytes (BEP3-BENC-7), integers exact (bigint),
 * JS strings written as UTF-8, dict entries whose value is undefined/null skipped.
 * Keys of a dict are latin1 "binary" strings (see types.ts), so any byte key round-trips.
 */
export function encode(v: Encodable): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const push = (b: Uint8Array) => { parts.push(b); total += b.length; };
  const ascii = (s: string) => push(keyToBytes(s));
  const walk = (x: Encodable): void => {
    if (x instanceof Uint8Array) { ascii(`${x.length}:`); push(x); return; }
    if (typeof x === 'string') { const b = utf8(x); ascii(`${b.length}:`); push(b); return; }
    if (typeof x === 'number') {
      if (!Number.isInteger(x)) throw new BtLabError('EBENCODE', `bencode: cannot encode non-integer ${x}`);
      ascii(`i${x}e`); return;
    }
    if (typeof x === 'bigint') { ascii(`i${x.toString()}e`); return; }
    if (typeof x === 'boolean') { ascii(x ? 'i1e' : 'i0e'); return; }
    if (Array.isArray(x)) { ascii('l'); for (const e of x) walk(e); ascii('e'); return; }
    if (x && typeof x === 'object') {
      const keys = Object.keys(x).filter((k) => (x as Record<string, Encodable>)[k] != null)
        .map((k) => [k, keyToBytes(k)] as const)
        .sort((a, b) => compareBytes(a[1], b[1]));
      ascii('d');
      for (const [k, kb] of keys) { ascii(`${kb.length}:`); push(kb); walk((x as Record<string, Encodable>)[k]); }
      ascii('e');
      return;
    }
    throw new BtLabError('EBENCODE', `bencode: cannot encode ${typeof x}`);
  };
  walk(v);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
