/**
 * Time and randomness as the core sees them. The core never reads a wall clock or calls
 * Math.random: a host hands these in. The real host backs them with the monotonic performance clock,
 * setTimeout and crypto randomness; the simulator with virtual time, its event heap and a
 * seeded PRNG (one derived stream per node), so the same seed replays byte for byte.
 */

/** Milliseconds. Monotonic; zero is the host's start (the simulator: simulated t = 0). */
export type Millis = number;

export interface Clock {
  now(): Millis;
}

export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  /** Run `fn` once after `delay` ms. Timers due at the same instant fire in creation order. */
  after(delay: Millis, fn: () => void): TimerHandle;
}

export interface Random {
  /** Uniform integer in [0, 2^32). */
  u32(): number;
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** n random bytes (peer ids, transaction ids, tokens). */
  bytes(n: number): Uint8Array;
  /** An independent stream derived from this one and `label`, so components do not perturb each other. */
  fork(label: string): Random;
}

/** Fisher–Yates shuffle in place with a given Random (deterministic under a seeded one). */
export function shuffle<T>(items: T[], rng: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = items[i]; items[i] = items[j]; items[j] = t;
  }
  return items;
}
