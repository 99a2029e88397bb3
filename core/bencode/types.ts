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
  // fromCharCode over a chunk is ~10x faster than a char-by-char loop for typical keys;
  // chunked so a huge key cannot overflow the argument limit.
  let s = '';
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(null, b.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return s;
}
