/**
 * SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF", INDOCRYPT 2012): a
 * keyed pseudo-random function for short messages, 64-bit output. Used where a MAC over a few
 * bytes is needed per packet (the UDP tracker's stateless connection ids, BEP15-CONN-4): it is
 * what SipHash was designed for, pure (no node:crypto in core), and several times cheaper
 * than an HMAC-SHA256 per packet.
 *
 * Written over 32-bit halves (JS has no fast 64-bit integers): each 64-bit lane vN is the pair
 * (vNh, vNl). Checked against the 64 reference vectors of the paper's implementation.
 */

// The four lanes, module-level so the round needs no allocation.
let v0h = 0, v0l = 0, v1h = 0, v1l = 0, v2h = 0, v2l = 0, v3h = 0, v3l = 0;

function sipRound(): void {
  let lo: number, t: number;
  // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
  lo = (v0l + v1l) >>> 0; v0h = (v0h + v1h + (lo < v0l ? 1 : 0)) >>> 0; v0l = lo;
  t = v1h; v1h = ((v1h << 13) | (v1l >>> 19)) >>> 0; v1l = ((v1l << 13) | (t >>> 19)) >>> 0;
  v1h = (v1h ^ v0h) >>> 0; v1l = (v1l ^ v0l) >>> 0;
  t = v0h; v0h = v0l; v0l = t;
  // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
  lo = (v2l + v3l) >>> 0; v2h = (v2h + v3h + (lo < v2l ? 1 : 0)) >>> 0; v2l = lo;
  t = v3h; v3h = ((v3h << 16) | (v3l >>> 16)) >>> 0; v3l = ((v3l << 16) | (t >>> 16)) >>> 0;
  v3h = (v3h ^ v2h) >>> 0; v3l = (v3l ^ v2l) >>> 0;
  // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
  lo = (v0l + v3l) >>> 0; v0h = (v0h + v3h + (lo < v0l ? 1 : 0)) >>> 0; v0l = lo;
  t = v3h; v3h = ((v3h << 21) | (v3l >>> 11)) >>> 0; v3l = ((v3l << 21) | (t >>> 11)) >>> 0;
  v3h = (v3h ^ v0h) >>> 0; v3l = (v3l ^ v0l) >>> 0;
  // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
  lo = (v2l + v1l) >>> 0; v2h = (v2h + v1h + (lo < v2l ? 1 : 0)) >>> 0; v2l = lo;
  t = v1h; v1h = ((v1h << 17) | (v1l >>> 15)) >>> 0; v1l = ((v1l << 17) | (t >>> 15)) >>> 0;
  v1h = (v1h ^ v2h) >>> 0; v1l = (v1l ^ v2l) >>> 0;
  t = v2h; v2h = v2l; v2l = t;
}

const le32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

function compress(mh: number, ml: number): void {
  v3h = (v3h ^ mh) >>> 0; v3l = (v3l ^ ml) >>> 0;
  sipRound(); sipRound();
  v0h = (v0h ^ mh) >>> 0; v0l = (v0l ^ ml) >>> 0;
}

/**
 * SipHash-2-4 of the first `length` bytes of `msg` (all of it by default) under the 16-byte
 * `key`: 8 bytes, little-endian as in the reference. (`length` lets a caller hash a prefix of a
 * reused buffer without making a view per call.)
 */
export function siphash24(key: Uint8Array, msg: Uint8Array, length = msg.length): Uint8Array {
  if (key.length !== 16) throw new RangeError(`siphash24: key must be 16 bytes, got ${key.length}`);
  if (!(length >= 0 && length <= msg.length)) throw new RangeError(`siphash24: length ${length} outside the ${msg.length}-byte message`);
  const k0l = le32(key, 0), k0h = le32(key, 4), k1l = le32(key, 8), k1h = le32(key, 12);
  // "somepseudorandomlygeneratedbytes"
  v0h = (k0h ^ 0x736f6d65) >>> 0; v0l = (k0l ^ 0x70736575) >>> 0;
  v1h = (k1h ^ 0x646f7261) >>> 0; v1l = (k1l ^ 0x6e646f6d) >>> 0;
  v2h = (k0h ^ 0x6c796765) >>> 0; v2l = (k0l ^ 0x6e657261) >>> 0;
  v3h = (k1h ^ 0x74656462) >>> 0; v3l = (k1l ^ 0x79746573) >>> 0;
  const n = length;
  const full = n - (n % 8);
  for (let o = 0; o < full; o += 8) compress(le32(msg, o + 4), le32(msg, o));
  // Last block: the remaining bytes, little-endian, with the length (mod 256) in the top byte.
  let bl = 0, bh = (n & 0xff) << 24;
  for (let i = 0; i < n - full; i++) {
    const byte = msg[full + i];
    if (i < 4) bl |= byte << (8 * i); else bh |= byte << (8 * (i - 4));
  }
  compress(bh >>> 0, bl >>> 0);
  v2l = (v2l ^ 0xff) >>> 0;
  sipRound(); sipRound(); sipRound(); sipRound();
  const hh = (v0h ^ v1h ^ v2h ^ v3h) >>> 0, hl = (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
  const out = new Uint8Array(8);
  for (let i = 0; i < 4; i++) { out[i] = (hl >>> (8 * i)) & 0xff; out[4 + i] = (hh >>> (8 * i)) & 0xff; }
  return out;
}
