/**
 * Decoded bencode values (BEP3-BENC-*).
 * - byte strings stay bytes (BEP3-BENC-8: never assume UTF-8);
 * - integers are numbers when safe, bigint past 2^53 (exact, BEP3-BENC-2);
 * - dictionaries are null-prototype objects keyed by the raw key bytes read as latin1
 *   ("binary" strings: one char per byte), so key order by string compare = raw byte order.
 */
export type BValue = Uint8Array | number | bigint | BValue[] | BDict;
export interface BDict { [key: string]: BValue }

export const isDict = (v: BValue | undefined): v is BDict =>
  typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
export const isBytes = (v: BValue | undefined): v is Uint8Array => v instanceof Uint8Array;
export const isInt = (v: BValue | undefined): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';
export const isList = (v: BValue | undefined): v is BValue[] => Array.isArray(v);

/** latin1 key <-> bytes */
export function keyToBytes(k: string): Uint8Array {
  const b = new Uint8Array(k.length);
  for (let i = 0; i < k.length; i++) b[i] = k.charCodeAt(i);
  return b;
}
export function bytesToKey(b: Uint8Array, start = 0, end = b.length): string {
  // Short keys: a plain loop is fastest. Longer: Node's native latin1 slice (exact: one char
  // per byte), which is 2–5x faster than fromCharCode.apply and allocates no view. Not
  // TextDecoder('latin1'): WHATWG maps that label to windows-1252, which changes 0x80–0x9f.
  if (end - start <= 8 || !latin1Slice) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
    return s;
  }
  return latin1Slice.call(b, start, end);
}

const latin1Slice: ((this: Uint8Array, start: number, end: number) => string) | undefined =
  typeof Buffer === 'function' ? (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, s: number, e: number) => string }).latin1Slice : undefined;
