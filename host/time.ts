import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Clock, Random, TimerHandle, Timers } from '../core/seam/time.js';

/** Real clock: monotonic milliseconds since this process started. */
export const realClock: Clock = { now: () => performance.now() };

/** Real timers. unref'd so a pending re-announce never keeps the process alive by itself. */
export const realTimers: Timers = {
  after(delay, fn): TimerHandle {
    const t = setTimeout(fn, Math.max(0, delay));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/**
 * Real randomness from the OS CSPRNG, buffered. fork() returns another CSPRNG-backed stream
 * (labels only matter for seeded generators).
 */
export function realRandom(): Random {
  let pool = randomBytes(4096);
  let pos = 0;
  /** Make room for n more bytes in the pool (n ≤ its size); returns where they start. */
  const reserve = (n: number): number => {
    if (pos + n > pool.length) { pool = randomBytes(4096); pos = 0; }
    pos += n;
    return pos - n;
  };
  const take = (n: number): Uint8Array => {
    if (n > pool.length) return new Uint8Array(randomBytes(n));
    const at = reserve(n);
    return new Uint8Array(pool.subarray(at, at + n));
  };
  const r: Random = {
    // Read in place: no 4-byte copy per call (the tracker draws one per peer it hands out).
    u32() {
      const at = reserve(4); // first: it may swap in a fresh pool
      return pool.readUInt32BE(at);
    },
    float() { return r.u32() / 4294967296; },
    int(n) { return Math.floor(r.float() * n); },
    bytes: take,
    fork: () => realRandom(),
  };
  return r;
}
