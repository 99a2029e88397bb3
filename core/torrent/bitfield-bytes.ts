/**
 * Bitfield bytes ↔ one-byte-per-piece arrays (BEP3-MSG-7: high bit of byte 0 is piece 0).
 * Validation of size and spare bits happens in core/wire/validate.ts before this is called.
 */
export function encodeBitfield(have: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(have.length / 8));
  for (let i = 0; i < have.length; i++) if (have[i]) out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

export function decodeBitfield(bits: Uint8Array, pieceCount: number): Uint8Array {
  const out = new Uint8Array(pieceCount);
  for (let i = 0; i < pieceCount; i++) out[i] = (bits[i >> 3] >> (7 - (i & 7))) & 1;
  return out;
}
