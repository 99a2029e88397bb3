/** Small byte helpers used across codecs. Uint8Array everywhere; Buffer only where Node gives one. */

const HEX = '0123456789abcdef';

const HEX_CODES = Uint8Array.from(HEX, (c) => c.charCodeAt(0));
const latin1 = new TextDecoder('latin1');
let hexScratch = new Uint8Array(64);

/**
 * Lowercase hex. WHY not `s += …` per byte: that builds a chain of 2·n intermediate strings,
 * and the engine calls this for every handshake's info hash and peer id (about 1.7 KB of
 * garbage per 20-byte id in simulator allocation profiles); here the digits go into a reused
 * byte buffer that is decoded into one flat string.
 */
export function toHex(b: Uint8Array): string {
  const n = b.length * 2;
  if (hexScratch.length < n) hexScratch = new Uint8Array(n);
  const out = hexScratch;
  for (let i = 0; i < b.length; i++) {
    out[2 * i] = HEX_CODES[b[i] >> 4];
    out[2 * i + 1] = HEX_CODES[b[i] & 15];
  }
  return latin1.decode(out.subarray(0, n));
}

export function fromHex(s: string): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new TypeError(`not hex: ${s.slice(0, 50)}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Raw byte comparison (BEP3-BENC-7 key order): negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });
const strictDec = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (s: string): Uint8Array => enc.encode(s);
export const fromUtf8 = (b: Uint8Array): string => dec.decode(b);
/** Decode UTF-8 or return undefined when the bytes are not valid UTF-8 (BEP3-META-2). */
export function fromUtf8Strict(b: Uint8Array): string | undefined {
  try { return strictDec.decode(b); } catch { return undefined; }
}

export function readU32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];
}
export function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24; b[o + 1] = (v >>> 16) & 255; b[o + 2] = (v >>> 8) & 255; b[o + 3] = v & 255;
}
export function readU16(b: Uint8Array, o: number): number { return (b[o] << 8) | b[o + 1]; }
export function writeU16(b: Uint8Array, o: number, v: number): void { b[o] = (v >>> 8) & 255; b[o + 1] = v & 255; }
