/**
 * libtorrent's optimistic unchoke (session_impl recalculate_optimistic_unchoke_slots, read for
 * semantics): every optimistic interval, the interested peers outside the regular set are
 * shuffled (no bias from list order) and then stably sorted by when they were last
 * optimistically unchoked, oldest (or never) first; the first `slots` get the optimistic
 * unchokes. Over time every peer gets an equal turn — unlike BEP 3's random draw, which is
 * only fair on average. test/plugins/optimistic-unchoke.test.ts checks that property.
 *
 * Rotation is by time, not by round number: the engine also calls rechoke outside the
 * schedule (a new interested peer, a closed one), and those calls must not shift the phase.
 * Half a round of slack keeps a rotation due at t = 30 s from being missed when the first
 * selection happened a few ms after the round started.
 */
import type { ChokerContext, ChokerPeer } from '../../core/plugin-api/choker.js';
import { shuffle } from '../../core/seam/time.js';

export class LongestWaitingOptimistic {
  private current: string[] = [];
  private lastRotation = -Infinity;
  private readonly lastOptimistic = new Map<string, number>();

  constructor(private readonly periodMs: number, private readonly roundMs: number) {}

  /** The optimistic picks among `pool` (interested peers not in the regular set). */
  select(pool: readonly ChokerPeer[], slots: number, ctx: ChokerContext, allPeers: readonly ChokerPeer[]): string[] {
    const live = new Set(allPeers.map((p) => p.id));
    for (const id of [...this.lastOptimistic.keys()]) if (!live.has(id)) this.lastOptimistic.delete(id);
    const inPool = new Set(pool.map((p) => p.id));
    const due = ctx.now - this.lastRotation >= this.periodMs - this.roundMs / 2;
    const keep = due ? [] : this.current.filter((id) => inPool.has(id)).slice(0, slots);
    if (due) this.lastRotation = ctx.now;
    if (keep.length < slots) {
      const kept = new Set(keep);
      const cand = shuffle(pool.filter((p) => !kept.has(p.id)).map((p) => p.id), ctx.rng);
      const last = (id: string) => this.lastOptimistic.get(id) ?? -Infinity;
      // Array.prototype.sort is stable (ES2019), so shuffled order breaks ties.
      cand.sort((a, b) => (last(a) === last(b) ? 0 : last(a) < last(b) ? -1 : 1));
      for (const id of cand) {
        if (keep.length >= slots) break;
        keep.push(id);
        this.lastOptimistic.set(id, ctx.now);
      }
    }
    this.current = keep;
    return keep;
  }
}
