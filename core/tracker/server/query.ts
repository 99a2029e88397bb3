import { TrackerError } from '../../util/errors.js';

/**
 * The tracker's query-string parser. Values are BYTES: info_hash and peer_id arrive as 20
 * raw bytes percent-escaped (BEP3-TRK-1), so nothing here may decode UTF-8. Keys are kept
 * as latin1 strings. Bounded (length and parameter count) so hostile input costs little.
 */
export type Query = Map<string, Uint8Array[]>;

export const MAX_QUERY_LENGTH = 8192;
export const MAX_QUERY_PARAMS = 256;

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Percent-decode to bytes; '+' is a space (form encoding), as trackers have always read it. */
export function percentDecode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const hi = hexVal(s.charCodeAt(i + 1)), lo = hexVal(s.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) throw new TrackerError('bad percent-escape in query', { offset: i });
      out[n++] = (hi << 4) | lo;
      i += 2;
    } else if (c === 0x2b) out[n++] = 0x20;
    else if (c > 0xff) throw new TrackerError('non-byte character in query', { offset: i });
    else out[n++] = c;
  }
  return out.slice(0, n);
}

export function parseQuery(raw: string): Query {
  if (raw.length > MAX_QUERY_LENGTH) throw new TrackerError(`query longer than ${MAX_QUERY_LENGTH}`, { length: raw.length });
  const q: Query = new Map();
  if (raw === '') return q;
  const parts = raw.split('&');
  if (parts.length > MAX_QUERY_PARAMS) throw new TrackerError(`more than ${MAX_QUERY_PARAMS} query parameters`);
  for (const part of parts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const kb = percentDecode(eq < 0 ? part : part.slice(0, eq));
    const v = percentDecode(eq < 0 ? '' : part.slice(eq + 1));
    let k = '';
    for (let i = 0; i < kb.length; i++) k += String.fromCharCode(kb[i]);
    const list = q.get(k);
    if (list) list.push(v); else q.set(k, [v]);
  }
  return q;
}

/** First value as ASCII text, or undefined. */
export function queryText(q: Query, key: string): string | undefined {
  const v = q.get(key)?.[0];
  if (!v) return undefined;
  let s = '';
  for (let i = 0; i < v.length; i++) s += String.fromCharCode(v[i]);
  return s;
}

/** First value as a non-negative decimal integer (BEP3-TRK-1 "decimal"), or undefined when absent. */
export function queryUint(q: Query, key: string): number | undefined {
  const s = queryText(q, key);
  if (s === undefined) return undefined;
  if (!/^\d{1,16}$/.test(s)) throw new TrackerError(`\`${key}\` is not a decimal number`, { key });
  return Number(s);
}
