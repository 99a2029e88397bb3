import type { Address, UdpNet, UdpSocket } from '../../seam/net.js';
import { addressKey } from '../../seam/net.js';
import type { Clock, Millis, Random, TimerHandle, Timers } from '../../seam/time.js';

/**
 * A tiny deterministic world for DHT tests and the bench (sim/ had no simulator yet): a
 * virtual clock with an event heap (ties fire in creation order, as the Timers contract says)
 * and an in-memory UDP network with fixed latency, seeded jitter and optional loss.
 * Pure: nothing here touches a real socket or timer.
 */
export class VirtualScheduler implements Clock, Timers {
  private t: Millis = 0;
  private seq = 0;
  private heap: Array<{ at: Millis; seq: number; fn: () => void; live: boolean }> = [];
  events = 0;

  now(): Millis { return this.t; }

  after(delay: Millis, fn: () => void): TimerHandle {
    const ev = { at: this.t + Math.max(0, delay), seq: this.seq++, fn, live: true };
    this.push(ev);
    return { cancel: () => { ev.live = false; } };
  }

  /** Run events due at or before `until`; the clock ends at `until`. */
  runUntil(until: Millis, maxEvents = 10_000_000): void {
    while (this.heap.length && this.heap[0].at <= until && maxEvents-- > 0) this.step();
    if (this.t < until) this.t = until;
  }

  /** Run until nothing is left (or `maxEvents`, guarding against periodic timers). */
  runUntilIdle(maxEvents = 1_000_000): void {
    while (this.heap.length && maxEvents-- > 0) this.step();
  }

  /** Run until `cond()` holds or time passes `limit`. Returns whether it held. */
  runUntilTrue(cond: () => boolean, limit: Millis): boolean {
    while (!cond()) {
      if (!this.heap.length || this.heap[0].at > limit) { if (this.t < limit) this.t = limit; return cond(); }
      this.step();
    }
    return true;
  }

  private step(): void {
    const ev = this.pop();
    this.t = ev.at;
    if (!ev.live) return;
    this.events++;
    ev.fn();
  }

  private less(a: { at: Millis; seq: number }, b: { at: Millis; seq: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(ev: { at: Millis; seq: number; fn: () => void; live: boolean }): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop() {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

export interface MemoryNetworkOptions {
  latencyMs?: Millis;
  jitterMs?: Millis;
  /** Probability that a datagram is dropped. */
  loss?: number;
}

/** In-memory datagrams between virtual IPs; each `udpFor(ip)` is one machine's UdpNet. */
export class MemoryNetwork {
  private sockets = new Map<string, (data: Uint8Array, from: Address) => void>();
  private nextPort = new Map<string, number>();
  datagrams = 0;
  bytes = 0;
  dropped = 0;
  /** Optional tap on every datagram sent (tests use it to count or inspect traffic). */
  onSend?: (data: Uint8Array, from: Address, to: Address) => void;

  constructor(private readonly sched: VirtualScheduler, private readonly rng: Random, private readonly opts: MemoryNetworkOptions = {}) {}

  udpFor(ip: string): UdpNet {
    return {
      bind: (o, onDatagram, ready) => {
        let port = o.port;
        if (port === 0) { port = this.nextPort.get(ip) ?? 6881; this.nextPort.set(ip, port + 1); }
        const self: Address = { host: ip, port };
        const key = addressKey(self);
        if (this.sockets.has(key)) { ready(new Error(`address in use: ${key}`)); return; }
        this.sockets.set(key, onDatagram);
        const sock: UdpSocket = {
          port,
          send: (data, to) => this.deliver(data.slice(), self, to),
          close: () => { this.sockets.delete(key); },
        };
        ready(null, sock);
      },
    };
  }

  private deliver(data: Uint8Array, from: Address, to: Address): void {
    this.datagrams++;
    this.bytes += data.length;
    this.onSend?.(data, from, to);
    if (this.opts.loss && this.rng.float() < this.opts.loss) { this.dropped++; return; }
    const delay = (this.opts.latencyMs ?? 20) + (this.opts.jitterMs ? this.rng.int(this.opts.jitterMs + 1) : 0);
    this.sched.after(delay, () => this.sockets.get(addressKey(to))?.(data, from));
  }
}
