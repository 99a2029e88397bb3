import { EventHeap } from './heap.js';
import { SimError } from './errors.js';

/**
 * The discrete-event kernel: virtual time in milliseconds, one event heap, and a notion of
 * "which node is running". Everything in a simulation — core timers, message deliveries,
 * storage completions, scenario actions — is an event here, so one seed gives one order.
 *
 * Node contexts: each event carries the context of the node it runs for (or null for world
 * events). The kernel (1) exposes it as `current` while the handler runs, so nested schedules
 * inherit it and errors name the node, and (2) skips events whose node has died — stopping a
 * node silently retires its timers and in-flight deliveries, with no per-node bookkeeping.
 */

/** One incarnation of a node. A restarted node gets a fresh context; the old one stays dead. */
export interface NodeCtx {
  readonly id: string;
  alive: boolean;
}

export interface EventHandle {
  cancel(): void;
}

export interface RunOptions {
  /** Stop after the last event at or before this time; `now` then becomes `until`. */
  until?: number;
  /** Stop after executing this many events (cancelled and dead-node events do not count). */
  maxEvents?: number;
}

export interface RunResult {
  /** Events executed by this call. */
  events: number;
  /** Why the run returned. */
  reason: 'idle' | 'until' | 'maxEvents' | 'stopped';
  now: number;
}

type Fn = () => void;

export class Kernel {
  private heap = new EventHeap<Fn, NodeCtx>(4096);
  /**
   * Events scheduled for the current instant at priority 0 (storage completions, async
   * callbacks, replays: about a fifth of all events in a swarm run). They skip the heap: a FIFO
   * holds them with sequence numbers taken from the heap's counter, and run() takes from it
   * whenever its head orders before the heap's top — so the execution order is exactly the
   * (time, priority, sequence) order, just cheaper. Invariant: every entry is due at `now`.
   * Entries live in [nowHead, nowTail); the arrays keep their capacity when the queue empties
   * (truncating them would re-allocate on every refill, i.e. at almost every instant).
   */
  private nowFn: (Fn | undefined)[] = [];
  private nowCtx: (NodeCtx | null)[] = [];
  private nowSeq: number[] = [];
  private nowHead = 0;
  private nowTail = 0;
  private t = 0;
  private running = false;
  private stopRequested = false;
  /** The node whose handler is running (null: world-level code or outside run()). */
  current: NodeCtx | null = null;
  /** Events executed over the kernel's life. */
  executed = 0;

  get now(): number { return this.t; }

  /** Events waiting (cancelled ones included until they reach the top). */
  get pending(): number { return this.heap.length + this.nowTail - this.nowHead; }

  /**
   * Run `fn` at absolute time `at` (clamped to now: the past cannot be scheduled).
   * Lower `priority` runs first among events at the same time; then creation order.
   * `ctx` defaults to the node currently running, so a handler's follow-ups stay its own.
   */
  schedule(at: number, fn: Fn, priority = 0, ctx: NodeCtx | null = this.current): void {
    if (at <= this.t && priority === 0) {
      // Same instant, default priority: the FIFO below, in the heap's own sequence order.
      const i = this.nowTail++;
      if (i < this.nowFn.length) {
        this.nowFn[i] = fn;
        this.nowCtx[i] = ctx;
        this.nowSeq[i] = this.heap.takeSeq();
      } else {
        this.nowFn.push(fn);
        this.nowCtx.push(ctx);
        this.nowSeq.push(this.heap.takeSeq());
      }
      return;
    }
    this.heap.push(at > this.t ? at : this.t, priority, fn, ctx);
  }

  /** As schedule(), returning a handle that cancels the event (lazily, O(1)). */
  scheduleCancelable(at: number, fn: Fn, priority = 0, ctx: NodeCtx | null = this.current): EventHandle {
    const heap = this.heap;
    const slot = heap.push(at > this.t ? at : this.t, priority, fn, ctx);
    const seq = heap.slotSeqOf(slot);
    return { cancel: () => { heap.cancel(seq, slot); } };
  }

  /** Seam-shaped timer: run `fn` after `delay` ms; equal due times fire in creation order. */
  after(delay: number, fn: Fn, ctx: NodeCtx | null = this.current): EventHandle {
    const d = delay > 0 ? delay : 0; // NaN and negatives mean "as soon as possible"
    return this.scheduleCancelable(this.t + d, fn, 0, ctx);
  }

  /** Ask a running run() to return after the current event. */
  stop(): void { this.stopRequested = true; }

  /**
   * Execute events in (time, priority, sequence) order. A throwing handler stops the run and
   * surfaces as a SimError carrying the simulated time and the node id.
   */
  run(opts: RunOptions = {}): RunResult {
    if (this.running) throw new Error('sim: Kernel.run is not re-entrant');
    const until = opts.until ?? Infinity;
    const maxEvents = opts.maxEvents ?? Infinity;
    if (until < this.t) throw new RangeError(`sim: run until ${until} is before now ${this.t}`);
    const heap = this.heap;
    let n = 0;
    let reason: RunResult['reason'] = 'idle';
    this.running = true;
    this.stopRequested = false;
    try {
      while (true) {
        if (n >= maxEvents) { reason = 'maxEvents'; break; }
        if (this.stopRequested) { reason = 'stopped'; break; }
        const at = heap.peekTime();
        const h = this.nowHead;
        let fn: Fn | null;
        let ctx: NodeCtx | null;
        if (h < this.nowTail && !(at === this.t && heap.peekKey() < this.nowSeq[h])) {
          // The same-instant FIFO's head comes first (its time is `now`, never past `until`).
          fn = this.nowFn[h] as Fn;
          ctx = this.nowCtx[h];
          this.nowFn[h] = undefined;
          this.nowCtx[h] = null;
          if (h + 1 === this.nowTail) { this.nowHead = 0; this.nowTail = 0; } else this.nowHead = h + 1;
          if (ctx !== null && !ctx.alive) continue;
        } else {
          if (at === Infinity) { reason = 'idle'; break; }
          if (at > until) { reason = 'until'; break; }
          const slot = heap.popSlot();
          fn = heap.slotFnOf(slot);
          ctx = heap.slotCtxOf(slot);
          heap.release(slot);
          if (fn === null || (ctx !== null && !ctx.alive)) continue;
          this.t = at;
        }
        this.current = ctx;
        n++;
        fn();
      }
    } catch (err) {
      const node = this.current ? this.current.id : null;
      throw err instanceof SimError ? err : new SimError(this.t, node, err);
    } finally {
      this.current = null;
      this.running = false;
      this.executed += n;
    }
    if (reason === 'until' || (reason === 'idle' && until !== Infinity)) this.t = until;
    return { events: n, reason, now: this.t };
  }

  /**
   * Run `fn` now as node `ctx` (outside run(): setup code such as starting a node's client).
   * Errors are wrapped like handler errors so setup failures name the node too.
   */
  within<T>(ctx: NodeCtx | null, fn: () => T): T {
    const prev = this.current;
    this.current = ctx;
    try {
      return fn();
    } catch (err) {
      throw err instanceof SimError ? err : new SimError(this.t, ctx ? ctx.id : null, err);
    } finally {
      this.current = prev;
    }
  }
}
