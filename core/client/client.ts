import type { Host } from '../seam/host.js';
import type { Listener, PeerLink } from '../seam/net.js';
import { toHex } from '../util/bytes.js';
import { Torrent, type TorrentParams } from '../torrent/torrent.js';
import { MagnetDownload, type MagnetParams } from '../torrent/magnet.js';
import type { Handshake } from '../wire/types.js';

/** What the client routes incoming connections to: a torrent, or a magnet download. */
export interface Swarm {
  readonly infoHashHex: string;
  acceptIncoming(link: PeerLink, h: Handshake): void;
  stop(done: () => void): void;
}

/** BEP 20 style peer id: `-BL0100-` + 12 random bytes (BEP3-TRK-2). */
export function makePeerId(host: Host, prefix = '-BL0100-'): Uint8Array {
  const id = host.random.bytes(20);
  for (let i = 0; i < prefix.length; i++) id[i] = prefix.charCodeAt(i);
  return id;
}

/**
 * A client: one peer id, one listen port, many torrents. Incoming connections are routed by
 * the info hash in their handshake (BEP3-HS-3: a multi-torrent listener waits for the
 * initiator's hash, and severs if it serves no such torrent).
 */
export class Client {
  readonly peerId: Uint8Array;
  private readonly torrents = new Map<string, Swarm>();
  private listener?: Listener;

  constructor(readonly host: Host, peerId?: Uint8Array) {
    this.peerId = peerId ?? makePeerId(host);
  }

  get port(): number { return this.listener?.port ?? 0; }

  listen(port: number, ready: (err: Error | null, port?: number) => void): void {
    this.host.peers.listen(port, (link) => this.onIncoming(link), (err, l) => {
      if (err || !l) { ready(err ?? new Error('listen failed')); return; }
      this.listener = l;
      ready(null, l.port);
    });
  }

  /**
   * Route an incoming link by the info hash of its handshake. The torrent that adopts it takes
   * it over with PeerLink.handOver, so from then on its events reach the torrent directly;
   * until then (and when nobody adopts it) they come here.
   */
  private onIncoming(link: PeerLink): void {
    link.attach({
      onHandshake: (h) => {
        const t = this.torrents.get(toHex(h.infoHash));
        if (!t) { link.close('handshake for a torrent we do not serve (BEP3-HS-3)'); return; }
        t.acceptIncoming(link, h);
      },
      onMessage: () => link.close('message before handshake'),
      onDrain: () => {},
      onClose: (info) => {
        this.host.log.log('debug', 'incoming connection closed before a torrent took it', { peer: `${link.remote.host}:${link.remote.port}`, reason: info.reason });
      },
    });
  }

  add(params: Omit<TorrentParams, 'host' | 'peerId' | 'port'>): Torrent {
    const t = new Torrent({ ...params, host: this.host, peerId: this.peerId, port: this.port });
    this.torrents.set(t.infoHashHex, t);
    return t;
  }

  addMagnet(params: Omit<MagnetParams, 'host' | 'peerId' | 'port'>): MagnetDownload {
    const m = new MagnetDownload({ ...params, host: this.host, peerId: this.peerId, port: this.port });
    this.torrents.set(m.infoHashHex, m);
    return m;
  }

  remove(t: Swarm, done: () => void): void {
    this.torrents.delete(t.infoHashHex);
    t.stop(done);
  }

  close(done: () => void): void {
    const all = [...this.torrents.values()];
    this.torrents.clear();
    let n = all.length + 1;
    const one = () => { if (--n === 0) done(); };
    for (const t of all) t.stop(one);
    this.listener?.close();
    one();
  }
}
