import type { Logger } from '../seam/host.js';
import type { Address } from '../seam/net.js';
import { addressKey } from '../seam/net.js';
import type { Clock, Millis, Random, TimerHandle, Timers } from '../seam/time.js';
import type { BDict } from '../bencode/index.js';
import { KrpcError } from '../util/errors.js';
import { encodeCompactPeer, encodeNodes, type NodeInfo } from './compact.js';
import { decodeKrpc, encodeKrpc, krpcErrorTid, KRPC, parseQuery, type DhtQuery, type KrpcMessage, type KrpcQuery } from './krpc.js';
import { Lookup, type LookupResult, type Responder } from './lookup.js';
import { isNodeId } from './node-id.js';
import { PeerStore, type PeerStoreOptions } from './peer-store.js';
import { RateLimiter } from './rate-limit.js';
import { RoutingTable, type SavedRoutingTable } from './routing-table.js';
import { KrpcClient, type QueryOutcome } from './rpc.js';
import { TokenManager } from './tokens.js';

/**
 * A BEP 5 DHT node: answers ping / find_node / get_peers / announce_peer, keeps the routing
 * table, stores announced peers and runs iterative lookups. It owns no socket: it is fed
 * datagrams (`handleDatagram`) and given a `send` function, and it reads time only from the
 * injected clock and timers — so the same node runs on real UDP (host/) and in the simulator.
 *
 * Hardening, all on the receive path:
 * - per-IP token-bucket rate limit on everything received (floods are dropped unanswered);
 * - malformed input → 203, unknown method → 204, bad token → 203 (BEP5-KRPC-8);
 * - no amplification: a reply to an address that never answered one of our queries (so could
 *   be spoofed) is trimmed to `maxReplyFactor` × the query's size;
 * - strangers enter the routing table only by answering our ping (RT-1), and we ping them only
 *   when the table has room for them.
 */

export interface DhtNodeDeps {
  clock: Clock;
  timers: Timers;
  random: Random;
  /** Put one datagram on the wire. */
  send(data: Uint8Array, to: Address): void;
  log?: Logger;
}

export interface DhtNodeOptions {
  /** Our node id (BEP5-ID-1); random when absent, or taken from `table`. */
  id?: Uint8Array;
  /** A table saved by `save()` (RT-8). */
  table?: SavedRoutingTable;
  k?: number;
  alpha?: number;
  queryTimeoutMs?: Millis;
  /** Contacts used when the table is (nearly) empty. */
  bootstrap?: Address[];
  peerStore?: PeerStoreOptions;
  /** Queries per second and burst allowed per source IP. */
  rateLimit?: { perSec: number; burst: number };
  /** Replies to unverified addresses are capped at this many times the query's size. */
  maxReplyFactor?: number;
  /** Most `values` in one get_peers reply (a UDP datagram must stay well under the MTU). */
  maxValues?: number;
  /** BEP5-KRPC-4 client version; default 'BL' + 0.1. */
  version?: Uint8Array;
  /** Maintenance period: bucket refresh (RT-7), questionable pings (RT-6), peer expiry. */
  maintenanceMs?: Millis;
}

export interface AnnounceResult {
  lookup: LookupResult;
  /** Nodes that accepted our announce_peer. */
  stored: number;
  /** Nodes that had tokens and were asked. */
  attempted: number;
}

export interface DhtStats {
  queriesSent: number;
  bytesSent: number;
  timeouts: number;
  received: number;
  bytesReceived: number;
  queriesAnswered: number;
  errorsSent: number;
  droppedRateLimited: number;
  droppedMalformed: number;
  repliesTrimmed: number;
}

const DEFAULT_VERSION = new Uint8Array([0x42, 0x4c, 0x00, 0x01]); // 'BL' 0.1

export class DhtNode {
  readonly id: Uint8Array;
  readonly table: RoutingTable;
  readonly peers: PeerStore;
  private readonly rpc: KrpcClient;
  private readonly tokens: TokenManager;
  private readonly limiter: RateLimiter;
  private readonly k: number;
  private readonly alpha: number;
  private readonly bootstrap: Address[];
  private readonly maxReplyFactor: number;
  private readonly maxValues: number;
  private readonly version: Uint8Array;
  private readonly maintenanceMs: Millis;
  /** Addresses that answered one of our queries recently (not spoofed), bounded LRU. */
  private verified = new Map<string, Millis>();
  /** Strangers we are pinging to verify, so each gets one ping. */
  private verifying = new Set<string>();
  private maintenance?: TimerHandle;
  private stopped = false;
  private counters = { received: 0, bytesReceived: 0, queriesAnswered: 0, errorsSent: 0, droppedRateLimited: 0, droppedMalformed: 0, repliesTrimmed: 0 };

  constructor(private readonly deps: DhtNodeDeps, opts: DhtNodeOptions = {}) {
    this.k = opts.k ?? 8;
    this.alpha = opts.alpha ?? 3;
    const now = deps.clock.now();
    if (opts.table) {
      this.table = RoutingTable.load(opts.table, { k: this.k }, now);
    } else {
      const id = opts.id ?? deps.random.bytes(20);
      if (!isNodeId(id)) throw new TypeError('DhtNode: id must be 20 bytes');
      this.table = new RoutingTable(id, { k: this.k }, now);
    }
    this.id = this.table.id;
    this.peers = new PeerStore(opts.peerStore);
    this.version = opts.version ?? DEFAULT_VERSION;
    this.rpc = new KrpcClient(deps, opts.queryTimeoutMs ?? 3000, this.version);
    this.tokens = new TokenManager(deps.clock, deps.random.fork('dht-tokens'));
    this.limiter = new RateLimiter(opts.rateLimit?.perSec ?? 25, opts.rateLimit?.burst ?? 50);
    this.bootstrap = opts.bootstrap ?? [];
    this.maxReplyFactor = opts.maxReplyFactor ?? 4;
    this.maxValues = opts.maxValues ?? 50;
    this.maintenanceMs = opts.maintenanceMs ?? 60_000;
  }

  get stats(): DhtStats {
    return { queriesSent: this.rpc.sent, bytesSent: this.rpc.bytesSent, timeouts: this.rpc.timeouts, ...this.counters };
  }

  /** Bootstrap (RT-8: look up our own id) and start periodic maintenance. */
  start(done?: (r: LookupResult) => void): void {
    this.stopped = false;
    this.findNode(this.id, (r) => done?.(r));
    this.scheduleMaintenance();
  }

  stop(): void {
    this.stopped = true;
    this.maintenance?.cancel();
    this.maintenance = undefined;
    this.rpc.cancelAll();
  }

  /** Serialisable routing table for the host to persist (RT-8). */
  save(): SavedRoutingTable { return this.table.save(); }

  /** A contact learned elsewhere (BEP5-PORT-3, a torrent's `nodes`): ping it; it joins on reply. */
  addNode(addr: Address, done?: (ok: boolean) => void): void {
    this.ping(addr, (o) => done?.(o.ok));
  }

  ping(addr: Address, done?: (o: QueryOutcome) => void): void {
    this.query(addr, { method: 'ping', id: this.id }, (o) => done?.(o));
  }

  findNode(target: Uint8Array, done: (r: LookupResult) => void): void {
    this.lookup('find_node', target, done);
  }

  /** get_peers lookup; `onPeers` streams peers as replies arrive (BEP5-Q-4). */
  getPeers(infoHash: Uint8Array, done: (r: LookupResult) => void, onPeers?: (p: Address[]) => void): void {
    this.lookup('get_peers', infoHash, done, onPeers);
  }

  /**
   * get_peers, then announce_peer to the K closest responders that gave a token (LKP-1).
   * `impliedPort` asks them to use our UDP source port instead of `port`.
   */
  announce(infoHash: Uint8Array, port: number, done?: (r: AnnounceResult) => void, opts: { impliedPort?: boolean; onPeers?: (p: Address[]) => void } = {}): void {
    this.getPeers(infoHash, (lookup) => {
      const targets = lookup.closest.filter((r): r is Responder & { token: Uint8Array } => r.token !== undefined);
      let left = targets.length, stored = 0;
      if (left === 0) { done?.({ lookup, stored, attempted: 0 }); return; }
      for (const r of targets) {
        this.query(r.addr, { method: 'announce_peer', id: this.id, infoHash, port, token: r.token, impliedPort: !!opts.impliedPort }, (o) => {
          if (o.ok) stored++;
          if (--left === 0) done?.({ lookup, stored, attempted: targets.length });
        });
      }
    }, opts.onPeers);
  }

  // -------------------------------------------------------------------------------------------
  // Receive path

  handleDatagram(data: Uint8Array, from: Address): void {
    if (this.stopped) return;
    const now = this.deps.clock.now();
    this.counters.received++;
    this.counters.bytesReceived += data.length;
    let msg: KrpcMessage;
    try { msg = decodeKrpc(data); }
    catch (e) {
      if (!(e instanceof KrpcError)) throw e;
      this.counters.droppedMalformed++;
      const t = krpcErrorTid(e);
      if (t && this.limiter.allow(from.host, now)) this.sendError(t, e.krpcCode, e.message, from);
      return;
    }
    // Replies only ever match queries we sent (bounded by our own lookups): not rate limited.
    if (msg.y !== 'q') { this.rpc.handle(msg, from); return; }
    if (!this.limiter.allow(from.host, now)) { this.counters.droppedRateLimited++; return; }
    let q: DhtQuery;
    try { q = parseQuery(msg); }
    catch (e) {
      if (!(e instanceof KrpcError)) throw e;
      this.sendError(msg.t, e.krpcCode, e.krpcCode === KRPC.METHOD_UNKNOWN ? 'Method Unknown' : e.message, from);
      return;
    }
    this.answer(msg, q, from, data.length, now);
    if (!msg.ro) this.noteQuerier({ id: q.id, addr: from }, now);
  }

  private answer(msg: KrpcQuery, q: DhtQuery, from: Address, querySize: number, now: Millis): void {
    const r: BDict = { id: this.id };
    switch (q.method) {
      case 'ping':
        break;
      case 'find_node':
        r.nodes = encodeNodes(this.table.closest(q.target, this.k, now));
        break;
      case 'get_peers': {
        r.token = this.tokens.issue(from.host); // a token is always present
        const values = this.peers.get(q.infoHash, now, this.maxValues, this.deps.random);
        if (values.length) r.values = values.map((p) => encodeCompactPeer(p)).filter((b): b is Uint8Array => b !== undefined);
        else r.nodes = encodeNodes(this.table.closest(q.infoHash, this.k, now));
        break;
      }
      case 'announce_peer': {
        // the token must have been issued to this IP (TOK-2 lifetime).
        if (!this.tokens.verify(from.host, q.token)) { this.sendError(msg.t, KRPC.PROTOCOL, 'bad token', from); return; }
        const port = q.impliedPort ? from.port : q.port;
        this.peers.add(q.infoHash, { host: from.host, port }, now);
        break;
      }
    }
    let out = encodeKrpc({ t: msg.t, y: 'r', r, v: this.version });
    if (!this.isVerified(from)) out = this.trimForStranger(msg.t, r, out, querySize);
    this.counters.queriesAnswered++;
    this.deps.send(out, from);
  }

  /** No amplification: shrink values, then nodes, until the reply fits the cap. */
  private trimForStranger(t: Uint8Array, r: BDict, out: Uint8Array, querySize: number): Uint8Array {
    const cap = Math.max(querySize * this.maxReplyFactor, 0);
    if (out.length <= cap) return out;
    this.counters.repliesTrimmed++;
    const values = r.values as Uint8Array[] | undefined;
    while (out.length > cap && values && values.length > 0) {
      values.splice(Math.max(0, values.length - Math.ceil((out.length - cap) / 8)));
      out = encodeKrpc({ t, y: 'r', r, v: this.version });
    }
    let nodes = r.nodes as Uint8Array | undefined;
    while (out.length > cap && nodes && nodes.length > 0) {
      nodes = nodes.slice(0, nodes.length - 26 * Math.ceil((out.length - cap) / 26));
      r.nodes = nodes;
      out = encodeKrpc({ t, y: 'r', r, v: this.version });
    }
    return out;
  }

  private sendError(t: Uint8Array, code: number, message: string, to: Address): void {
    this.counters.errorsSent++;
    this.deps.send(encodeKrpc({ t, y: 'e', code, message, v: this.version }), to);
  }

  /** RT-2 bookkeeping for known nodes; a ping to verify a stranger the table has room for. */
  private noteQuerier(n: NodeInfo, now: Millis): void {
    if (this.table.queried(n, now)) return;
    const key = addressKey(n.addr);
    if (this.verifying.has(key) || this.verifying.size >= 64 || !this.table.wouldAccept(n.id, now)) return;
    this.verifying.add(key);
    this.ping(n.addr, () => this.verifying.delete(key));
  }

  private isVerified(a: Address): boolean {
    return this.verified.has(addressKey(a)) || this.table.getByAddr(a) !== undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Send path

  /** Every outgoing query goes through here so each answer or timeout updates the table. */
  private query(to: Address, q: DhtQuery, done: (o: QueryOutcome) => void): void {
    if (this.stopped) { done({ ok: false, reason: 'timeout' }); return; }
    this.rpc.query(to, q, (o) => {
      const now = this.deps.clock.now();
      if (o.ok) {
        const key = addressKey(o.from);
        this.verified.delete(key);
        this.verified.set(key, now);
        if (this.verified.size > 4096) this.verified.delete(this.verified.keys().next().value as string);
        const res = this.table.heard({ id: o.reply.id, addr: o.from }, now);
        for (const e of res.ping) this.ping(e.addr); // RT-6: questionable first
      } else if (o.reason === 'timeout') {
        const e = this.table.getByAddr(to);
        if (e) this.table.failed(e.id, now);
      }
      done(o);
    });
  }

  private lookup(kind: 'find_node' | 'get_peers', target: Uint8Array, done: (r: LookupResult) => void, onPeers?: (p: Address[]) => void): void {
    const l = new Lookup(kind, target, this.id, (to, q, cb) => this.query(to, q, cb), done, onPeers, { alpha: this.alpha, k: this.k });
    const seeds = this.table.closest(target, this.k * 2, this.deps.clock.now());
    // Bootstrap contacts only while the table is thin: they are usually busy routers.
    l.start(seeds, seeds.length < this.k ? this.bootstrap : []);
  }

  private scheduleMaintenance(): void {
    this.maintenance = this.deps.timers.after(this.maintenanceMs, () => {
      if (this.stopped) return;
      this.maintain();
      this.scheduleMaintenance();
    });
  }

  private maintain(): void {
    const now = this.deps.clock.now();
    this.peers.sweep(now);
    if (this.table.size === 0 && this.bootstrap.length) { this.findNode(this.id, () => {}); return; }
    for (const target of this.table.refreshTargets(now, this.deps.random)) this.findNode(target, () => {}); // RT-7
    for (const e of this.table.questionable(now).slice(0, 8)) { e.pingRequested = now; this.ping(e.addr); } // RT-6
  }
}
