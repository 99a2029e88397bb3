import { TokenBucket } from '../util/token-bucket.js';
import type { Address, CloseInfo, PeerLink } from '../seam/net.js';
import type { Millis, TimerHandle } from '../seam/time.js';
import type { Handshake, PeerMessage } from '../wire/types.js';
import { RESERVED } from '../wire/types.js';
import type { PeerSource } from '../plugin-api/peer-source.js';
import type { TorrentInfo } from '../metainfo/types.js';
import { parseInfo } from '../metainfo/parse.js';
import { MetadataFetcher } from '../metadata/fetcher.js';
import { PeerConn, type PeerOwner } from '../peer/peer-conn.js';
import { bytesEqual, toHex } from '../util/bytes.js';
import { BtLabError } from '../util/errors.js';
import { PeerPool } from './peer-pool.js';
import { bothExtended, readExtended, sendExtHandshake, sendMetadataMessage } from './extensions.js';
import { Torrent, type TorrentParams, type TorrentStats } from './torrent.js';
import { startPeerSources, stopPeerSources } from './sources.js';
import { defaultEngineConfig } from './config.js';

export interface MagnetParams extends Omit<TorrentParams, 'info'> {
  infoHash: Uint8Array;
  /** Called once the info dict is fetched and verified (the CLI saves a .torrent from it). */
  onMetadata?(info: TorrentInfo): void;
}

/**
 * A download that starts from an info hash alone (BEP 9 magnet links). Phase 1 connects to
 * the peers the sources find, speaks only the extension protocol and ut_metadata, and
 * assembles the info dict from 16 KiB pieces checked against the info hash (BEP9-META-1).
 * Phase 2 is an ordinary Torrent, dialled to every peer phase 1 knew. The peer sources belong
 * to this object for the whole life of the download, so trackers see one `started`.
 */
export class MagnetDownload implements PeerOwner {
  readonly infoHashHex: string;
  torrent?: Torrent;
  private readonly params: MagnetParams;
  private readonly pool: PeerPool;
  private readonly conns: PeerConn[] = [];
  private readonly fetcher: MetadataFetcher;
  private readonly sources: PeerSource[] = [];
  private stopped = false;
  private deadlineTimer?: TimerHandle;
  private tickTimer?: TimerHandle;
  private connecting = 0;
  /** New outgoing connection attempts, as in the torrent (EngineConfig.maxDialsPerSecond). */
  private readonly dialBudget: TokenBucket;

  constructor(params: MagnetParams) {
    this.params = params;
    this.infoHashHex = toHex(params.infoHash);
    const cfg = { ...defaultEngineConfig, ...params.config };
    this.pool = new PeerPool(10_000, new Set(params.selfAddresses ?? []), cfg.maxKnownPeers);
    this.dialBudget = new TokenBucket(cfg.maxDialsPerSecond, cfg.maxDialsPerSecond, params.host.clock.now());
    this.fetcher = new MetadataFetcher(params.infoHash, params.host.clock);
  }

  now(): Millis { return this.params.host.clock.now(); }

  start(): void {
    const h = this.params.host;
    this.sources.push(...startPeerSources(this.params.sources, {
      host: h,
      infoHash: this.params.infoHash,
      peerId: this.params.peerId,
      port: this.params.port,
      trackers: this.params.trackers ?? [],
      private: false,
      stats: () => {
        const s = this.torrent?.stats();
        return { uploaded: s?.uploaded ?? 0, downloaded: s?.downloaded ?? 0, left: s ? s.totalBytes - s.haveBytes : 1 };
      },
      addPeers: (addrs, source) => this.addPeers(addrs, source),
      peersWanted: () => 50,
    }));
    this.addPeers(this.params.initialPeers ?? [], 'initial');
    const tick = () => {
      this.tickTimer = h.timers.after(1000, () => {
        if (this.stopped || this.torrent) return;
        for (const p of [...this.conns]) if (!p.ready && this.now() - p.connectedAt > 20_000) p.close('handshake timeout');
        this.connectMore();
        // Nobody left to dial and no metadata yet: ask the sources for more (BEP3-TRK-8 still
        // bounds how early a tracker re-announces).
        const below = this.params.config?.wantMorePeersBelow ?? defaultEngineConfig.wantMorePeersBelow;
        if (this.conns.length < below && this.pool.pendingCount === 0) for (const s of this.sources) s.wantMore?.();
        tick();
      });
    };
    tick();
  }

  addPeers(addrs: Address[], source: string): void {
    if (this.torrent) { this.torrent.addPeers(addrs, source); return; }
    if (this.pool.add(addrs, source, this.now()) > 0) this.connectMore();
  }

  private connectMore(): void {
    if (this.stopped || this.torrent) return;
    while (this.connecting < 10 && this.conns.length < 30) {
      if (!this.dialBudget.ready(this.now())) return; // the next tick tries again
      const addr = this.pool.next(this.now());
      if (!addr) return;
      this.dialBudget.take(this.now());
      const link = this.params.host.peers.connect(addr);
      const p = new PeerConn(link, this, 0, true);
      this.conns.push(p);
      this.connecting++;
      p.attach();
      link.sendHandshake(this.handshake());
    }
  }

  private handshake(): Handshake {
    const reserved = new Uint8Array(8);
    reserved[RESERVED.extension.byte] |= RESERVED.extension.mask;
    return { reserved, infoHash: this.params.infoHash, peerId: this.params.peerId };
  }

  acceptIncoming(link: PeerLink, h: Handshake): void {
    if (this.torrent) { this.torrent.acceptIncoming(link, h); return; }
    if (this.stopped || this.conns.length >= 40) { link.close('not accepting'); return; }
    const p = new PeerConn(link, this, 0, false);
    this.conns.push(p);
    p.adoptHandshake(h);
    p.attach();
    this.pool.markConnected(link.remote);
    link.sendHandshake(this.handshake());
    const refuse = this.checkHandshake(p, h);
    if (refuse) { p.close(refuse); return; }
    this.onPeerReady(p);
  }

  // --- PeerOwner (phase 1) ---

  checkHandshake(p: PeerConn, h: Handshake): string | null {
    if (!bytesEqual(h.infoHash, this.params.infoHash)) return 'handshake for another info hash (BEP3-HS-3)';
    if (bytesEqual(h.peerId, this.params.peerId)) {
      this.pool.selfConnection(p, this.params.port); // a PEX list named us: not again
      return 'connected to ourselves';
    }
    return null;
  }

  onPeerReady(p: PeerConn): void {
    if (p.outgoing) this.connecting--;
    p.ready = true;
    if (!bothExtended(p)) { p.close('peer does not support the extension protocol (needed for metadata)'); return; }
    p.extended = true;
    sendExtHandshake(p, { port: this.params.port, reqq: 250 });
    this.connectMore();
  }

  onPeerMessage(p: PeerConn, m: PeerMessage): void {
    if (m.type !== 'extended') return; // pieces are phase 2's business; bitfields are re-sent then
    let ev;
    try { ev = readExtended(p, m.id, m.payload); } catch (e) {
      if (e instanceof BtLabError) { p.close(e.message); return; }
      throw e;
    }
    if (!ev) return;
    if (ev.kind === 'handshake') {
      if (ev.h.metadataSize !== undefined && p.ext.supports('ut_metadata')) this.fetcher.addPeer(p.key, ev.h.metadataSize);
    } else if (ev.kind === 'ut_pex') {
      this.addPeers(ev.msg.added.map((x) => x.addr), 'pex'); // more peers to ask for the metadata
    } else {
      const msg = ev.msg;
      if (msg.type === 'request') sendMetadataMessage(p, { type: 'reject', piece: msg.piece }); // BEP9-MSG-5: we have nothing verified yet
      else if (msg.type === 'reject') this.fetcher.onReject(p.key, msg.piece);
      else if (msg.type === 'data') {
        const r = this.fetcher.onData(p.key, msg.piece, msg.data, msg.totalSize);
        if (r.status === 'complete') { this.gotMetadata(r.info); return; }
        if (r.status === 'mismatch') for (const key of r.banned) this.conns.find((c) => c.key === key)?.close('sent metadata that failed the hash check');
        if (r.status === 'bad') p.close(r.error.message);
      }
    }
    this.pump();
  }

  onPeerDrain(): void {}

  onPeerClosed(p: PeerConn, _info: CloseInfo): void {
    const i = this.conns.indexOf(p);
    if (i >= 0) this.conns.splice(i, 1);
    if (p.outgoing && !p.ready) this.connecting--;
    this.fetcher.removePeer(p.key);
    this.pool.disconnected(p.address, !p.ready, this.now(), !this.torrent && !this.stopped);
    if (!this.torrent && !this.stopped) { this.pump(); this.connectMore(); }
  }

  /** Send the requests the fetcher wants now; wake up again at its next deadline. */
  private pump(): void {
    if (this.torrent || this.stopped) return;
    for (const r of this.fetcher.poll()) {
      const p = this.conns.find((c) => c.key === r.peer);
      if (!p || !sendMetadataMessage(p, { type: 'request', piece: r.piece })) this.fetcher.removePeer(r.peer);
    }
    const d = this.fetcher.nextDeadline();
    this.deadlineTimer?.cancel();
    if (d !== undefined) this.deadlineTimer = this.params.host.timers.after(Math.max(0, d - this.now()), () => this.pump());
  }

  private gotMetadata(raw: Uint8Array): void {
    let info: TorrentInfo;
    try { info = parseInfo(raw, { strict: false }); } catch (e) {
      this.params.host.log.log('error', 'fetched metadata verifies but does not parse', { error: (e as Error).message });
      return;
    }
    this.deadlineTimer?.cancel();
    const addrs = this.pool.addresses();
    for (const p of [...this.conns]) p.close('metadata complete; reconnecting as a torrent');
    this.params.onMetadata?.(info);
    const { infoHash: _ih, onMetadata: _om, sources: _s, ...rest } = this.params;
    this.torrent = new Torrent({
      ...rest,
      info,
      sources: [],
      borrowedSources: this.sources,
      initialPeers: addrs,
      events: {
        ...rest.events,
        complete: () => { for (const s of this.sources) s.completed(); rest.events?.complete?.(); },
      },
    });
    this.torrent.start();
  }

  stats(): TorrentStats & { metadata: boolean } {
    if (this.torrent) return { ...this.torrent.stats(), metadata: true };
    return {
      status: 'idle', pieces: 0, havePieces: 0, totalBytes: 0, haveBytes: 0, downloaded: 0, uploaded: 0,
      downloadRate: 0, uploadRate: 0, peers: this.conns.filter((c) => c.ready).length, seeds: 0, unchoked: 0,
      knownPeers: this.pool.knownCount, banned: 0, wasted: 0, hashFailures: 0, eta: null, metadata: false,
    };
  }

  stop(done: () => void = () => {}): void {
    if (this.stopped) { done(); return; }
    this.stopped = true;
    this.deadlineTimer?.cancel();
    this.tickTimer?.cancel();
    for (const p of [...this.conns]) p.close('shutting down');
    let pending = 2;
    const one = () => { if (--pending === 0) done(); };
    stopPeerSources(this.sources, one);
    if (this.torrent) this.torrent.stop(one); else one();
  }
}
