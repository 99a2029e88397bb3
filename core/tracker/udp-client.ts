import type { Address } from '../seam/net.js';
import type { Clock, Random, TimerHandle, Timers } from '../seam/time.js';
import { toHex } from '../util/bytes.js';
import { TrackerError } from '../util/errors.js';
import { parseIpv4, parseIpv6, unmapIpv4 } from './ip.js';
import {
  encodeAnnounceRequest, encodeConnectRequest, encodeScrapeRequest, parseTrackerReply, peekReplyHeader,
  type UdpTrackerReply,
} from './udp-codec.js';
import { UDP_EVENT, type AnnounceRequest, type AnnounceResult, type Cancelable, type Done, type ScrapeResult } from './types.js';

/**
 * BEP 15 client state machine over ONE datagram socket, shared by any number of trackers and
 * torrents: replies are demultiplexed by transaction id (random, from the host's Random) and
 * checked against the tracker's address, so a spoofed, truncated, late or foreign reply is
 * ignored, never a crash.
 *
 * Timeline (BEP15-TO-1, BEP15-CONN-5): each send waits 15·2^n s, n = 0..8 counted over the
 * whole transaction; a connection id is used for at most 60 s after it arrived, so a
 * retransmission that finds it stale re-connects first. Purely timer-driven: runs the same
 * under the simulator's clock and the real one.
 */

export interface UdpTrackerClientDeps {
  clock: Clock;
  timers: Timers;
  random: Random;
  send(data: Uint8Array, to: Address): void;
}

export interface UdpTrackerClientOptions {
  /** First retransmission timeout (BEP15-TO-1: 15 s). */
  baseTimeoutMs?: number;
  /** Highest n in 15·2^n (BEP15-TO-1: 8), i.e. 9 sends in all. */
  maxRetransmits?: number;
  /** How long we keep using a connection id (BEP15-CONN-5: one minute). */
  connectionIdTtlMs?: number;
}

type Phase = 'connect' | 'request';

interface Tx {
  tracker: Address;
  trackerKey: string;
  kind: 'announce' | 'scrape';
  build(connectionId: Uint8Array, txid: number): Uint8Array;
  accept(reply: UdpTrackerReply): unknown; // result, or undefined when the reply is the wrong kind
  done: Done<unknown>;
  phase: Phase;
  txid: number;
  /** Every transaction id this transaction has used, so a late reply to an earlier send still counts. */
  txids: Map<number, Phase>;
  n: number;
  timer?: TimerHandle;
  /** Why the last matching datagram was ignored; reported if we end in a timeout. */
  lastIgnored?: string;
  finished: boolean;
}

export class UdpTrackerClient {
  private readonly byTxid = new Map<number, Tx>();
  private readonly connIds = new Map<string, { id: Uint8Array; at: number }>();
  private readonly baseMs: number;
  private readonly maxN: number;
  private readonly ttlMs: number;
  /** Counters for tests, logs and the conformance harness. */
  readonly counters = { sent: 0, replies: 0, ignored: 0, timeouts: 0, reconnects: 0 };

  constructor(private readonly deps: UdpTrackerClientDeps, opts: UdpTrackerClientOptions = {}) {
    this.baseMs = opts.baseTimeoutMs ?? 15_000;
    this.maxN = opts.maxRetransmits ?? 8;
    this.ttlMs = opts.connectionIdTtlMs ?? 60_000;
  }

  announce(tracker: Address, req: AnnounceRequest, done: Done<AnnounceResult>): Cancelable {
    return this.start(tracker, 'announce', done as Done<unknown>, (connectionId, txid) => encodeAnnounceRequest({
      connectionId, txid, infoHash: req.infoHash, peerId: req.peerId,
      downloaded: req.downloaded, left: req.left, uploaded: req.uploaded,
      event: UDP_EVENT[req.event], ip: 0, key: req.key,
      numWant: req.numwant === undefined ? -1 : Math.min(req.numwant, 0x7fffffff), port: req.port,
    }), (r) => r.action === 'announce'
      ? { interval: r.interval, complete: r.seeders, incomplete: r.leechers, peers: r.peers } satisfies AnnounceResult
      : undefined);
  }

  scrape(tracker: Address, infoHashes: readonly Uint8Array[], done: Done<ScrapeResult>): Cancelable {
    return this.start(tracker, 'scrape', done as Done<unknown>, (cid, txid) => encodeScrapeRequest(cid, txid, infoHashes), (r) => {
      if (r.action !== 'scrape') return undefined;
      const out: ScrapeResult = new Map();
      infoHashes.forEach((h, i) => { if (r.entries[i]) out.set(toHex(h), r.entries[i]); });
      return out;
    });
  }

  /** Feed every datagram the socket receives. Returns true when it belonged to a transaction. */
  handleDatagram(data: Uint8Array, from: Address): boolean {
    const head = peekReplyHeader(data);
    if (!head) { this.counters.ignored++; return false; }
    const tx = this.byTxid.get(head.txid);
    if (!tx || tx.finished) { this.counters.ignored++; return false; }
    if (!sameEndpoint(tx.tracker, from)) { this.counters.ignored++; tx.lastIgnored = `reply from ${from.host}:${from.port}`; return false; }
    let reply: UdpTrackerReply;
    try {
      reply = parseTrackerReply(data, unmapIpv4(from.host).includes(':') ? 6 : 4);
    } catch (e) {
      // BEP15-CONN-3 / ANN-4: too short or unknown action — keep waiting for a proper reply.
      this.counters.ignored++;
      tx.lastIgnored = (e as Error).message;
      return false;
    }
    this.counters.replies++;
    if (reply.action === 'error') {
      this.finish(tx, new TrackerError(`tracker error: ${reply.message}`, { clause: 'BEP15-ERR-1', failure: reply.message }));
      return true;
    }
    const sentAs = tx.txids.get(head.txid);
    if (reply.action === 'connect') {
      if (sentAs !== 'connect') { this.counters.ignored++; tx.lastIgnored = 'connect reply to a request'; return false; }
      this.connIds.set(tx.trackerKey, { id: reply.connectionId, at: this.deps.clock.now() });
      if (tx.phase === 'connect') { tx.timer?.cancel(); this.setPhase(tx, 'request'); this.transmit(tx); }
      return true;
    }
    const result = sentAs === 'request' ? tx.accept(reply) : undefined;
    if (result === undefined) { this.counters.ignored++; tx.lastIgnored = `unexpected ${reply.action} reply`; return false; }
    this.finish(tx, null, result);
    return true;
  }

  /** Transactions still waiting. */
  inFlight(): number { return new Set(this.byTxid.values()).size; }

  /** Fail everything pending (socket closing). */
  close(): void {
    for (const tx of new Set(this.byTxid.values())) this.finish(tx, new TrackerError('UDP tracker client closed'));
  }

  // ---- internals ----------------------------------------------------------------------

  private start(tracker: Address, kind: Tx['kind'], done: Done<unknown>, build: Tx['build'], accept: Tx['accept']): Cancelable {
    const tx: Tx = {
      tracker, trackerKey: endpointKey(tracker), kind, build, accept, done,
      phase: 'connect', txid: 0, txids: new Map(), n: 0, finished: false,
    };
    this.setPhase(tx, this.freshConnection(tx.trackerKey) ? 'request' : 'connect');
    this.transmit(tx);
    return { cancel: () => this.finish(tx, null, undefined, true) };
  }

  private freshConnection(key: string): Uint8Array | undefined {
    const c = this.connIds.get(key);
    if (!c) return undefined;
    // BEP15-CONN-5: at most one minute after it was received.
    if (this.deps.clock.now() - c.at < this.ttlMs) return c.id;
    this.connIds.delete(key);
    return undefined;
  }

  /** A fresh random transaction id per phase; retransmissions of a phase reuse it. */
  private setPhase(tx: Tx, phase: Phase): void {
    let id: number;
    do id = this.deps.random.u32(); while (this.byTxid.has(id));
    tx.phase = phase;
    tx.txid = id;
    tx.txids.set(id, phase);
    this.byTxid.set(id, tx);
  }

  private transmit(tx: Tx): void {
    let packet: Uint8Array;
    if (tx.phase === 'request') {
      const cid = this.freshConnection(tx.trackerKey);
      if (!cid) { this.counters.reconnects++; this.setPhase(tx, 'connect'); return this.transmit(tx); }
      packet = tx.build(cid, tx.txid);
    } else {
      packet = encodeConnectRequest(tx.txid);
    }
    this.counters.sent++;
    this.deps.send(packet, tx.tracker);
    // BEP15-TO-1: wait 15·2^n seconds.
    tx.timer = this.deps.timers.after(this.baseMs * 2 ** tx.n, () => this.onTimeout(tx));
  }

  private onTimeout(tx: Tx): void {
    if (tx.finished) return;
    this.counters.timeouts++;
    if (tx.n >= this.maxN) {
      const why = tx.lastIgnored ? ` (last reply ignored: ${tx.lastIgnored})` : '';
      this.finish(tx, new TrackerError(`no reply after ${tx.n + 1} sends${why}`, { clause: 'BEP15-TO-1', tracker: tx.trackerKey, timeout: true }));
      return;
    }
    tx.n++;
    this.transmit(tx);
  }

  private finish(tx: Tx, err: Error | null, result?: unknown, silent = false): void {
    if (tx.finished) return;
    tx.finished = true;
    tx.timer?.cancel();
    for (const id of tx.txids.keys()) this.byTxid.delete(id);
    if (!silent) tx.done(err, result);
  }
}

/** Trackers given by IP literal are matched on address and port; by name, on port only. */
function endpointKey(a: Address): string {
  const host = unmapIpv4(a.host.replace(/^\[|\]$/g, '')).toLowerCase();
  return `${host}|${a.port}`;
}

function sameEndpoint(tracker: Address, from: Address): boolean {
  if (tracker.port !== from.port) return false;
  const t = unmapIpv4(tracker.host.replace(/^\[|\]$/g, ''));
  const f = unmapIpv4(from.host);
  const t4 = parseIpv4(t), f4 = parseIpv4(f);
  if (t4) return !!f4 && t4.every((x, i) => x === f4[i]);
  const t6 = parseIpv6(t);
  if (t6) { const f6 = parseIpv6(f); return !!f6 && t6.every((x, i) => x === f6[i]); }
  return true; // a host name: the host resolved it; we cannot compare the address here
}
