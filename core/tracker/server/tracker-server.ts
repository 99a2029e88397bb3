import type { Address, HttpRequest, HttpResponse } from '../../seam/net.js';
import type { Clock, Random } from '../../seam/time.js';
import type { AnnounceEvent } from '../../plugin-api/peer-source.js';
import { encode } from '../../bencode/encode.js';
import type { BValue } from '../../bencode/types.js';
import { fromHex, toHex, utf8 } from '../../util/bytes.js';
import { TrackerError } from '../../util/errors.js';
import { ipFamily, unmapIpv4 } from '../ip.js';
import { UDP_EVENT_NAME } from '../types.js';
import {
  encodeConnectResponse, encodeErrorResponse, encodeScrapeResponse, parseClientRequest, writeAnnounceResponseHeader,
} from '../udp-codec.js';
import { ConnectionIds } from './connection-ids.js';
import { parseQuery, queryText, queryUint, type Query } from './query.js';
import { RateLimiter } from './rate-limiter.js';
import { packPeers, SwarmStore, type StoredPeer } from './swarm-store.js';

/**
 * bt-lab's tracker: pure request → reply functions over a swarm store, for HTTP (BEP 3,
 * BEP 23, BEP 7) and UDP (BEP 15). No sockets and no timers: the host (or the simulator)
 * feeds requests and the clock; expiry happens lazily as time passes. So the same server
 * runs behind real sockets (`bt-lab tracker`) and inside a simulation.
 */
export interface TrackerServerOptions {
  clock: Clock;
  random: Random;
  /** Re-announce interval we ask for, seconds (BEP3-TRK-6). */
  intervalS?: number;
  minIntervalS?: number;
  /** Peers silent for this long are dropped (default: 2 × interval + 60 s). */
  peerTtlMs?: number;
  defaultNumwant?: number;
  maxNumwant?: number;
  maxPeersPerTorrent?: number;
  maxTorrents?: number;
  /** Requests per address per window; max 0 = no limit. */
  rateLimit?: { windowMs: number; max: number };
  /** Lowercase hex info hashes; null/undefined = track anything. */
  allow?: ReadonlySet<string> | null;
  /** Key for UDP connection ids (BEP15-CONN-4; SipHash, ≥ 16 bytes); random when omitted. */
  secret?: Uint8Array;
}

export interface TrackerStats {
  announces: number;
  scrapes: number;
  connects: number;
  /** Requests refused (bad input, not allowed, rate limited, bad connection id). */
  rejected: number;
  torrents: number;
  peers: number;
  seeders: number;
  leechers: number;
}

const SWEEP_EVERY_MS = 30_000;
const BOTH = new Set<4 | 6>([4, 6]);
const ONLY4 = new Set<4 | 6>([4]);
const ONLY6 = new Set<4 | 6>([6]);

interface ParsedAnnounce {
  infoHash: Uint8Array;
  peerId: Uint8Array;
  host: string;
  port: number;
  left: number;
  event: AnnounceEvent;
  numwant: number | undefined;
}

interface AnnounceReply {
  interval: number;
  minInterval: number;
  complete: number;
  incomplete: number;
  peers: StoredPeer[];
}

export class TrackerServer {
  readonly intervalS: number;
  readonly minIntervalS: number;
  private readonly store: SwarmStore;
  private readonly ids: ConnectionIds;
  private readonly limiter: RateLimiter;
  private readonly defaultNumwant: number;
  private readonly maxNumwant: number;
  private allow: ReadonlySet<string> | null;
  private lastSweep = 0;
  private readonly counters = { announces: 0, scrapes: 0, connects: 0, rejected: 0 };

  constructor(private readonly o: TrackerServerOptions) {
    this.intervalS = o.intervalS ?? 1800;
    this.minIntervalS = Math.min(o.minIntervalS ?? Math.floor(this.intervalS / 2), this.intervalS);
    this.store = new SwarmStore({
      peerTtlMs: o.peerTtlMs ?? (2 * this.intervalS + 60) * 1000,
      maxPeersPerTorrent: o.maxPeersPerTorrent ?? 10_000,
      maxTorrents: o.maxTorrents ?? 100_000,
    });
    this.ids = new ConnectionIds(o.secret ?? o.random.bytes(32));
    this.limiter = new RateLimiter(o.rateLimit?.windowMs ?? 60_000, o.rateLimit?.max ?? 0);
    this.defaultNumwant = o.defaultNumwant ?? 50;
    this.maxNumwant = o.maxNumwant ?? 200;
    this.allow = o.allow ?? null;
    this.lastSweep = o.clock.now();
  }

  /** Replace the allow-list (e.g. on SIGHUP); null tracks everything. */
  setAllowList(allow: ReadonlySet<string> | null): void { this.allow = allow; }

  stats(): TrackerStats {
    const s = this.store.stats();
    return { ...this.counters, torrents: s.torrents, peers: s.peers, seeders: s.seeders, leechers: s.peers - s.seeders };
  }

  /** Route by path: `/announce`, `/scrape` (and `*.php` variants some clients use). */
  handleHttp(req: HttpRequest): HttpResponse {
    const last = req.path.slice(req.path.lastIndexOf('/') + 1);
    if (last.startsWith('announce')) return this.handleHttpAnnounce(req);
    if (last.startsWith('scrape')) return this.handleHttpScrape(req);
    return { status: 404, body: utf8('not found\n') };
  }

  handleHttpAnnounce(req: HttpRequest): HttpResponse {
    const now = this.tick();
    try {
      this.gate(req.remote, now);
      const q = parseQuery(req.rawQuery);
      const a = this.readHttpAnnounce(q, req.remote);
      const r = this.announce(a, BOTH, now);
      const compact = queryText(q, 'compact') !== '0';
      const dict: Record<string, BValue> = {
        interval: r.interval, 'min interval': r.minInterval, complete: r.complete, incomplete: r.incomplete,
      };
      if (compact) {
        // BEP23-4 and BEP 7: IPv4 in `peers`, IPv6 in `peers6`.
        dict.peers = packPeers(r.peers, 4);
        const v6 = packPeers(r.peers, 6);
        if (v6.length) dict.peers6 = v6;
      } else {
        // BEP3-TRK-7 dictionary form; `no_peer_id` asks us to leave ids out.
        const noId = queryText(q, 'no_peer_id') === '1';
        dict.peers = r.peers.map((p) => {
          const e: Record<string, BValue> = { ip: utf8(p.host), port: p.port };
          if (!noId) e['peer id'] = p.peerId;
          return e;
        });
      }
      return { status: 200, body: encode(dict) };
    } catch (e) {
      return this.httpFailure(e);
    }
  }

  handleHttpScrape(req: HttpRequest): HttpResponse {
    const now = this.tick();
    try {
      this.gate(req.remote, now);
      const q = parseQuery(req.rawQuery);
      const hashes = q.get('info_hash') ?? [];
      if (hashes.length === 0) throw new TrackerError('full scrape is not supported: name an info_hash');
      if (hashes.length > 100) throw new TrackerError('at most 100 info hashes per scrape');
      const files: Record<string, BValue> = {};
      for (const h of hashes) {
        if (h.length !== 20) throw new TrackerError('info_hash must be 20 bytes', { clause: 'BEP3-TRK-1' });
        const e = this.store.scrape(toHex(h));
        let k = '';
        for (let i = 0; i < 20; i++) k += String.fromCharCode(h[i]);
        files[k] = { complete: e.complete, downloaded: e.downloaded, incomplete: e.incomplete };
      }
      this.counters.scrapes++;
      return { status: 200, body: encode({ files }) };
    } catch (e) {
      return this.httpFailure(e);
    }
  }

  /**
   * One UDP datagram in, at most one out. Null = send nothing: malformed packets and bad
   * connection ids are dropped silently (BEP15-CONN-4), and so is a client over its rate
   * (answering would make us an amplifier for spoofed floods).
   */
  handleUdp(packet: Uint8Array, from: Address): Uint8Array | null {
    const now = this.tick();
    const src: Address = { host: unmapIpv4(from.host), port: from.port };
    let req;
    try { req = parseClientRequest(packet); } catch { this.counters.rejected++; return null; }
    if (!this.limiter.allow(src.host, now)) { this.counters.rejected++; return null; }
    if (req.action === 'connect') {
      this.counters.connects++;
      return encodeConnectResponse(req.txid, this.ids.issue(src, now));
    }
    if (!this.ids.valid(req.connectionId, src, now)) { this.counters.rejected++; return null; }
    if (req.action === 'scrape') {
      this.counters.scrapes++;
      return encodeScrapeResponse(req.txid, req.infoHashes.map((h) => this.store.scrape(toHex(h))));
    }
    const family: 4 | 6 = src.host.includes(':') ? 6 : 4;
    try {
      const r = this.announce({
        infoHash: req.infoHash, peerId: req.peerId, host: src.host, port: req.port, left: req.left,
        event: UDP_EVENT_NAME[req.event] ?? 'none',
        // BEP15-GEN-1: num_want is signed; -1 (or any negative) = our default.
        numwant: req.numWant < 0 ? undefined : req.numWant,
      }, family === 6 ? ONLY6 : ONLY4, now);
      return writeAnnounceResponseHeader(packPeers(r.peers, family, 20), req.txid, r.interval, r.incomplete, r.complete);
    } catch (e) {
      this.counters.rejected++;
      return encodeErrorResponse(req.txid, e instanceof TrackerError ? e.message.replace(/^tracker: /, '') : 'internal error');
    }
  }

  // ---- internals ----------------------------------------------------------------------

  /** Read the clock once per request, sweeping expired peers now and then. */
  private tick(): number {
    const now = this.o.clock.now();
    if (now - this.lastSweep >= SWEEP_EVERY_MS) { this.lastSweep = now; this.store.sweep(now); }
    return now;
  }

  private gate(remote: Address, now: number): void {
    if (!this.limiter.allow(unmapIpv4(remote.host), now)) throw new TrackerError('rate limited: slow down');
  }

  private readHttpAnnounce(q: Query, remote: Address): ParsedAnnounce {
    const infoHash = q.get('info_hash')?.[0];
    const peerId = q.get('peer_id')?.[0];
    if (!infoHash || infoHash.length !== 20) throw new TrackerError('info_hash must be 20 bytes', { clause: 'BEP3-TRK-1' });
    if (!peerId || peerId.length !== 20) throw new TrackerError('peer_id must be 20 bytes', { clause: 'BEP3-TRK-1' });
    const port = queryUint(q, 'port');
    if (port === undefined || port < 1 || port > 65535) throw new TrackerError('port must be 1..65535', { clause: 'BEP3-TRK-1' });
    const ev = queryText(q, 'event') ?? '';
    const event: AnnounceEvent = ev === 'started' || ev === 'completed' || ev === 'stopped' ? ev : 'none';
    queryUint(q, 'uploaded'); queryUint(q, 'downloaded'); // validated, not stored
    // The peer's address is where the request came from; the optional `ip` parameter is a
    // spoofing vector and is ignored (as most public trackers do).
    return { infoHash, peerId, host: unmapIpv4(remote.host), port, left: queryUint(q, 'left') ?? 1, event, numwant: queryUint(q, 'numwant') };
  }

  private announce(a: ParsedAnnounce, families: ReadonlySet<4 | 6>, now: number): AnnounceReply {
    const hash = toHex(a.infoHash);
    if (this.allow && !this.allow.has(hash)) throw new TrackerError('info hash not allowed on this tracker');
    const family = ipFamily(a.host);
    if (!family) throw new TrackerError('cannot tell the peer address');
    this.counters.announces++;
    const out = this.store.announce(hash, { host: a.host, port: a.port, peerId: a.peerId, family, left: a.left, event: a.event }, now);
    if (!out.torrentKnown) throw new TrackerError('tracker is full');
    const want = a.event === 'stopped' ? 0 : Math.min(a.numwant ?? this.defaultNumwant, this.maxNumwant);
    const peers = this.store.select(hash, { host: a.host, port: a.port, seeding: a.left === 0 }, want, families, this.o.random, now);
    const s = this.store.scrape(hash);
    return { interval: this.intervalS, minInterval: this.minIntervalS, complete: s.complete, incomplete: s.incomplete, peers };
  }

  private httpFailure(e: unknown): HttpResponse {
    this.counters.rejected++;
    const reason = e instanceof TrackerError ? e.message.replace(/^tracker: /, '') : 'internal error';
    // BEP3-TRK-5: a failure is a dictionary with `failure reason` alone; status 200 so every client reads it.
    return { status: 200, body: encode({ 'failure reason': reason }) };
  }
}

/** Read an allow-list file's text: one hex info hash per line, '#' comments. */
export function parseAllowList(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const t = line.replace(/#.*$/, '').trim().toLowerCase();
    if (!t) continue;
    if (!/^[0-9a-f]{40}$/.test(t)) throw new TrackerError(`allow-list line is not a 40-digit hex info hash: ${t.slice(0, 60)}`);
    out.add(toHex(fromHex(t)));
  }
  return out;
}
