import { ProtocolError } from '../util/errors.js';

/** Set bits per byte value: count() and fromBytes() cost one lookup per byte. */
const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >> 1];
  return t;
})();

/**
 * Why `bits` is not a valid bitfield for `pieceCount` pieces, or null (BEP3-MSG-7: exactly
 * ceil(n/8) bytes, spare bits at the end zero).
 */
export function bitfieldProblem(bits: Uint8Array, pieceCount: number): string | null {
  const want = Math.ceil(pieceCount / 8);
  if (bits.length !== want) return `bitfield is ${bits.length} bytes, ${pieceCount} pieces need ${want}`;
  const spare = want * 8 - pieceCount;
  if (spare > 0 && (bits[want - 1] & ((1 << spare) - 1)) !== 0) return 'bitfield has spare bits set';
  return null;
}

/**
 * A fixed-size set of piece indices in the wire layout (BEP3-MSG-7: the high bit of byte 0
 * is piece 0), so toBytes() is a copy and fromBytes() a validated copy. The set-bit count is
 * kept up to date on every change, so count() and isFull() are O(1).
 */
export class Bitfield {
  readonly size: number;
  private readonly bytes: Uint8Array;
  private setCount = 0;

  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Bitfield size ${size}`);
    this.size = size;
    this.bytes = new Uint8Array(Math.ceil(size / 8));
  }

  /** Validated copy of wire bytes; throws ProtocolError naming the fault (BEP3-MSG-7). */
  static fromBytes(bits: Uint8Array, size: number): Bitfield {
    const why = bitfieldProblem(bits, size);
    if (why) throw new ProtocolError(why, { bytes: bits.length, pieceCount: size });
    const b = new Bitfield(size);
    b.bytes.set(bits);
    let c = 0;
    for (let i = 0; i < bits.length; i++) c += POPCOUNT[bits[i]];
    b.setCount = c;
    return b;
  }

  /** Every bit set (BEP 6 have_all). */
  static full(size: number): Bitfield {
    const b = new Bitfield(size);
    b.setAll();
    return b;
  }

  get(i: number): boolean {
    if (!(i >= 0 && i < this.size)) return false;
    return (this.bytes[i >> 3] & (0x80 >> (i & 7))) !== 0;
  }

  /** Returns true when the bit changed. */
  set(i: number): boolean {
    this.check(i);
    const m = 0x80 >> (i & 7);
    if (this.bytes[i >> 3] & m) return false;
    this.bytes[i >> 3] |= m;
    this.setCount++;
    return true;
  }

  /** Returns true when the bit changed. */
  clear(i: number): boolean {
    this.check(i);
    const m = 0x80 >> (i & 7);
    if (!(this.bytes[i >> 3] & m)) return false;
    this.bytes[i >> 3] &= ~m;
    this.setCount--;
    return true;
  }

  setAll(): void {
    this.bytes.fill(0xff);
    const spare = this.bytes.length * 8 - this.size;
    if (spare > 0) this.bytes[this.bytes.length - 1] = (0xff << spare) & 0xff; // spare bits stay zero
    this.setCount = this.size;
  }

  clearAll(): void { this.bytes.fill(0); this.setCount = 0; }

  count(): number { return this.setCount; }
  isFull(): boolean { return this.setCount === this.size; }
  isEmpty(): boolean { return this.setCount === 0; }

  /** The wire form: a copy, safe to hand to send(). */
  toBytes(): Uint8Array { return this.bytes.slice(); }

  clone(): Bitfield {
    const b = new Bitfield(this.size);
    b.bytes.set(this.bytes);
    b.setCount = this.setCount;
    return b;
  }

  /** Set indices in ascending order; skips zero bytes whole. Do not mutate while iterating. */
  *[Symbol.iterator](): IterableIterator<number> {
    const b = this.bytes;
    for (let k = 0; k < b.length; k++) {
      const v = b[k];
      if (v === 0) continue;
      for (let j = 0; j < 8; j++) if (v & (0x80 >> j)) yield k * 8 + j;
    }
  }

  /** First set index ≥ from, or -1. */
  nextSet(from = 0): number { return this.scan(from, true); }
  /** First clear index ≥ from, or -1. */
  nextClear(from = 0): number { return this.scan(from, false); }

  private scan(from: number, want: boolean): number {
    const skip = want ? 0 : 0xff; // a whole byte that cannot contain what we look for
    for (let i = Math.max(0, from); i < this.size;) {
      if ((i & 7) === 0 && this.bytes[i >> 3] === skip) { i += 8; continue; }
      if (this.get(i) === want) return i;
      i++;
    }
    return -1;
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`piece index ${i} outside 0..${this.size - 1}`);
  }
}
