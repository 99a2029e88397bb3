import { shuffle, type Random } from '../seam/time.js';

/**
 * BEP 12 multitracker order: each tier shuffled ONCE (when the torrent is loaded), trackers
 * tried tier by tier in order, and a tracker that answers moves to the front of its tier so
 * it is tried first next time.
 */
export class TrackerTiers {
  private readonly tiers: string[][];

  /** `keep` filters URLs (e.g. by scheme); empty tiers and duplicates are dropped. */
  constructor(tiers: readonly (readonly string[])[], random: Random, keep: (url: string) => boolean = () => true) {
    const seen = new Set<string>();
    this.tiers = [];
    for (const tier of tiers) {
      const t = tier.filter((u) => keep(u) && !seen.has(u) && (seen.add(u), true));
      if (t.length) this.tiers.push(shuffle(t, random));
    }
  }

  get size(): number { return this.tiers.reduce((n, t) => n + t.length, 0); }

  /** The order to try now: first tier first. */
  order(): string[] { return this.tiers.flat(); }

  /** A snapshot of the tiers (for tests and status output). */
  snapshot(): string[][] { return this.tiers.map((t) => [...t]); }

  /** `url` answered: move it to the front of its tier. */
  promote(url: string): void {
    for (const t of this.tiers) {
      const i = t.indexOf(url);
      if (i > 0) { t.splice(i, 1); t.unshift(url); }
      if (i >= 0) return;
    }
  }
}
