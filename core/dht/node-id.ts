import type { Random } from '../seam/time.js';

/**
 * 160-bit node ids and info hashes share one space (BEP5-ID-1); closeness is XOR read as an
 * unsigned big-endian integer (BEP5-ID-2). Everything here works on the 20 raw bytes: no
 * bigint, because the routing table and lookups compare distances thousands of times a second.
 */
export const ID_BYTES = 20;
export const ID_BITS = 160;

export function isNodeId(b: unknown): b is Uint8Array {
  return b instanceof Uint8Array && b.length === ID_BYTES;
}

/** XOR distance as bytes (BEP5-ID-2). */
export function xorDistance(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(ID_BYTES);
  for (let i = 0; i < ID_BYTES; i++) out[i] = a[i] ^ b[i];
  return out;
}

/** Negative when `a` is closer to `target` than `b`, zero when equally close (a = b). */
export function compareDistance(target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < ID_BYTES; i++) {
    const da = a[i] ^ target[i];
    const db = b[i] ^ target[i];
    if (da !== db) return da - db;
  }
  return 0;
}

/** Number of leading bits `a` and `b` share (160 when equal). */
export function commonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < ID_BYTES; i++) {
    const x = a[i] ^ b[i];
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return ID_BITS;
}

/** Value of bit `i` (0 = most significant). */
export function bitAt(id: Uint8Array, i: number): number {
  return (id[i >> 3] >> (7 - (i & 7))) & 1;
}

/**
 * A random id sharing the first `prefixBits` bits with `base`, and — when `flipNext` — differing
 * from it at bit `prefixBits` (the range of a routing-table bucket below ours, RT-7).
 */
export function randomIdInRange(base: Uint8Array, prefixBits: number, flipNext: boolean, rng: Random): Uint8Array {
  const out = rng.bytes(ID_BYTES);
  for (let i = 0; i < prefixBits; i++) setBit(out, i, bitAt(base, i));
  if (flipNext && prefixBits < ID_BITS) setBit(out, prefixBits, 1 - bitAt(base, prefixBits));
  return out;
}

function setBit(id: Uint8Array, i: number, v: number): void {
  const mask = 1 << (7 - (i & 7));
  if (v) id[i >> 3] |= mask; else id[i >> 3] &= ~mask;
}
