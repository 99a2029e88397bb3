/** RFC 4648 base32 (A–Z, 2–7), as used for 32-character btih hashes (BEP9-MAG-2). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decode unpadded base32 (either case). Returns undefined for a character outside the alphabet. */
export function base32Decode(s: string): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((s.length * 5) / 8));
  let bits = 0, acc = 0, o = 0;
  for (const ch of s.toUpperCase()) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >>> bits) & 255; }
  }
  return out;
}

/** Encode as unpadded uppercase base32. */
export function base32Encode(b: Uint8Array): string {
  let s = '', bits = 0, acc = 0;
  for (const x of b) {
    acc = ((acc << 8) | x) & 0xffff;
    bits += 8;
    while (bits >= 5) { bits -= 5; s += ALPHABET[(acc >>> bits) & 31]; }
  }
  if (bits > 0) s += ALPHABET[(acc << (5 - bits)) & 31];
  return s;
}
