import type { Random } from '../seam/time.js';

/**
 * A seeded, portable PRNG: xoshiro128** seeded through splitmix32. Pure 32-bit integer
 * arithmetic (Math.imul, >>>), so every machine and Node version gives the same stream —
 * the simulator's byte-identical replays depend on that. fork(label) derives an independent
 * stream from the parent's seed and the label (FNV-1a), without advancing the parent, so
 * adding a node or a component never perturbs the others' streams.
 */
export function seededRandom(seed: number | string): Random {
  const s0 = typeof seed === 'number' ? seed >>> 0 : fnv1a(seed);
  return make(s0);
}

function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) >>> 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function make(seed: number): Random {
  const sm = { x: seed };
  let a = splitmix32(sm), b = splitmix32(sm), c = splitmix32(sm), d = splitmix32(sm);
  if ((a | b | c | d) === 0) a = 1;
  const next = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d, 11);
    return r;
  };
  const rnd: Random = {
    u32: next,
    float: () => next() / 4294967296,
    int: (n: number) => {
      if (!(n >= 1)) return 0;
      // Rejection sampling keeps it unbiased for any n < 2^32.
      const limit = 4294967296 - (4294967296 % n);
      let x = next();
      while (x >= limit) x = next();
      return x % n;
    },
    bytes: (n: number) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const x = next();
        out[i] = x & 255;
        if (i + 1 < n) out[i + 1] = (x >>> 8) & 255;
        if (i + 2 < n) out[i + 2] = (x >>> 16) & 255;
        if (i + 3 < n) out[i + 3] = x >>> 24;
      }
      return out;
    },
    fork: (label: string) => make(fnv1a(label, seed ^ 0x5bd1e995)),
  };
  return rnd;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
