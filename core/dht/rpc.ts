import type { Address } from '../seam/net.js';
import { addressKey } from '../seam/net.js';
import type { Millis, Random, TimerHandle, Timers } from '../seam/time.js';
import { toHex } from '../util/bytes.js';
import { KrpcError } from '../util/errors.js';
import { encodeKrpc, parseReply, queryArgs, type DhtQuery, type DhtReply, type KrpcErrorReply, type KrpcResponse } from './krpc.js';

/**
 * Outgoing KRPC queries: transaction ids, matching replies, per-query timeouts. One reply per
 * query and no retries at this layer (BEP5-KRPC-1): a lookup that loses a node simply asks the
 * next one. A reply matches only when both the transaction id and the source address match
 * what we sent, so a third party cannot inject answers without seeing our traffic.
 */
export type QueryOutcome =
  | { ok: true; reply: DhtReply; raw: KrpcResponse; from: Address; rttMs: Millis }
  | { ok: false; reason: 'timeout' }
  | { ok: false; reason: 'error'; code: number; message: string }
  | { ok: false; reason: 'malformed'; error: KrpcError };

interface Pending {
  to: Address;
  method: string;
  sentAt: Millis;
  timer: TimerHandle;
  done: (o: QueryOutcome) => void;
}

export interface KrpcClientDeps {
  clock: { now(): Millis };
  timers: Timers;
  random: Random;
  send(data: Uint8Array, to: Address): void;
}

export class KrpcClient {
  private pending = new Map<string, Pending>();
  private nextTid: number;
  /** Counters for stats and the bench. */
  sent = 0;
  bytesSent = 0;
  timeouts = 0;

  constructor(private readonly deps: KrpcClientDeps, private readonly timeoutMs: Millis = 3000, private readonly version?: Uint8Array) {
    this.nextTid = deps.random.int(65536);
  }

  get inflight(): number { return this.pending.size; }

  /** Send `q` to `to`; `done` is called exactly once (reply, error reply, malformed or timeout). */
  query(to: Address, q: DhtQuery, done: (o: QueryOutcome) => void): void {
    let t: Uint8Array, key: string;
    // 2-byte ids (KRPC-2); skip ones still in use for this address (only after 65536 in flight).
    do {
      t = new Uint8Array([this.nextTid >> 8, this.nextTid & 255]);
      this.nextTid = (this.nextTid + 1) & 0xffff;
      key = pendingKey(t, to);
    } while (this.pending.has(key));
    const data = encodeKrpc({ t, y: 'q', q: q.method, a: queryArgs(q), ...(this.version ? { v: this.version } : {}) });
    const timer = this.deps.timers.after(this.timeoutMs, () => {
      if (this.pending.get(key)?.timer !== timer) return;
      this.pending.delete(key);
      this.timeouts++;
      done({ ok: false, reason: 'timeout' });
    });
    this.pending.set(key, { to, method: q.method, sentAt: this.deps.clock.now(), timer, done });
    this.sent++;
    this.bytesSent += data.length;
    this.deps.send(data, to);
  }

  /** Offer a reply or error; false when it answers nothing we asked (dropped by the caller). */
  handle(msg: KrpcResponse | KrpcErrorReply, from: Address): boolean {
    const key = pendingKey(msg.t, from);
    const p = this.pending.get(key);
    if (!p) return false;
    this.pending.delete(key);
    p.timer.cancel();
    if (msg.y === 'e') { p.done({ ok: false, reason: 'error', code: msg.code, message: msg.message }); return true; }
    let reply: DhtReply;
    try { reply = parseReply(msg.r, msg.t); }
    catch (e) {
      if (e instanceof KrpcError) { p.done({ ok: false, reason: 'malformed', error: e }); return true; }
      throw e;
    }
    p.done({ ok: true, reply, raw: msg, from, rttMs: this.deps.clock.now() - p.sentAt });
    return true;
  }

  /** Fail every pending query as timed out (node shutdown). */
  cancelAll(): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) { p.timer.cancel(); p.done({ ok: false, reason: 'timeout' }); }
  }
}

function pendingKey(t: Uint8Array, a: Address): string {
  return `${toHex(t)}|${addressKey(a)}`;
}
