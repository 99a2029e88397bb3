import type { Clock, Millis, TimerHandle, Timers } from '../../seam/time.js';

/**
 * A tiny deterministic clock + timers for tests (sim/ will have the real scheduler; this
 * keeps the tracker tests free of it). Time moves only when the test says so; timers due at
 * the same instant fire in creation order, as the Timers contract requires.
 */
export class FakeTime implements Clock, Timers {
  private t = 0;
  private seq = 0;
  private queue: Array<{ at: Millis; seq: number; fn: () => void; live: boolean }> = [];

  now(): Millis { return this.t; }

  after(delay: Millis, fn: () => void): TimerHandle {
    const entry = { at: this.t + Math.max(0, delay), seq: this.seq++, fn, live: true };
    this.queue.push(entry);
    return { cancel: () => { entry.live = false; } };
  }

  /** Pending (not cancelled) timers. */
  pending(): number { return this.queue.filter((e) => e.live).length; }

  /** Due time of the earliest live timer, or undefined. */
  nextDue(): Millis | undefined {
    let best: Millis | undefined;
    for (const e of this.queue) if (e.live && (best === undefined || e.at < best)) best = e.at;
    return best;
  }

  /** Advance to absolute time `to`, firing every timer due up to and including it, in order. */
  advanceTo(to: Millis): void {
    for (;;) {
      let idx = -1;
      for (let i = 0; i < this.queue.length; i++) {
        const e = this.queue[i];
        if (!e.live || e.at > to) continue;
        if (idx < 0 || e.at < this.queue[idx].at || (e.at === this.queue[idx].at && e.seq < this.queue[idx].seq)) idx = i;
      }
      if (idx < 0) break;
      const e = this.queue[idx];
      this.queue.splice(idx, 1);
      this.t = e.at;
      e.fn();
    }
    this.queue = this.queue.filter((e) => e.live);
    this.t = Math.max(this.t, to);
  }

  advance(by: Millis): void { this.advanceTo(this.t + by); }
}
