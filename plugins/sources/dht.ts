import type { PeerSource, PeerSourceContext, PeerSourcePlugin } from '../../core/plugin-api/peer-source.js';
import type { TimerHandle } from '../../core/seam/time.js';
import type { Address } from '../../core/seam/net.js';
import { ensureDhtService } from '../../core/dht/service.js';
import type { DhtNode } from '../../core/dht/node.js';
import { parseHostPort } from '../../core/util/address.js';

/**
 * Peers from the BEP 5 DHT. Every torrent of a Host shares ONE DhtNode (core/dht/service.ts,
 * a registry keyed by the Host): the first DHT source to start creates it with its `port` and
 * `bootstrap` options, later ones reuse it. The service outlives the torrents; the host/CLI
 * closes it with closeDhtService(host) at shutdown (after persisting node.save(), RT-8).
 *
 * Per torrent: a get_peers lookup at start, streaming peers to the engine as replies arrive,
 * then announce_peer to the closest nodes that gave tokens (BEP5-LKP-1); repeated every
 * `intervalMs`, or every `retryMs` while lookups find nobody. Private torrents get no DHT
 * (BEP 27): create() returns null.
 */
export const DEFAULT_DHT_ROUTERS = 'router.bittorrent.com:6881,dht.transmissionbt.com:6881,router.utorrent.com:6881';

export const dhtSource: PeerSourcePlugin = {
  name: 'source:dht',
  description: 'Peers from the BEP 5 DHT (get_peers, then announce_peer); off for private torrents (BEP 27)',
  options: [
    { name: 'port', type: 'number', default: 0, describe: 'UDP port of the shared DHT node (the first torrent to start decides)' },
    { name: 'bootstrap', type: 'string', default: DEFAULT_DHT_ROUTERS, describe: 'Comma-separated host:port contacts for an empty routing table' },
    { name: 'intervalMs', type: 'number', default: 15 * 60_000, describe: 'Period of get_peers + announce_peer' },
    { name: 'retryMs', type: 'number', default: 60_000, describe: 'Period while lookups find no peers' },
    { name: 'announce', type: 'boolean', default: true, describe: 'announce_peer our listen port after each lookup' },
    { name: 'impliedPort', type: 'boolean', default: false, describe: 'Ask nodes to use our UDP source port (BEP5-Q-7; NAT setups)' },
  ],
  create(ctx, options) {
    if (ctx.private) return null; // BEP 27
    return new DhtPeerSource(ctx, {
      port: Number(options.port ?? 0),
      bootstrap: parseList(String(options.bootstrap ?? DEFAULT_DHT_ROUTERS)),
      intervalMs: Number(options.intervalMs ?? 15 * 60_000),
      retryMs: Number(options.retryMs ?? 60_000),
      announce: options.announce !== false && options.announce !== 'false',
      impliedPort: options.impliedPort === true || options.impliedPort === 'true',
    });
  },
};

function parseList(s: string): Address[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean).map(parseHostPort);
}

interface DhtSourceConfig {
  port: number;
  bootstrap: Address[];
  intervalMs: number;
  retryMs: number;
  announce: boolean;
  impliedPort: boolean;
}

class DhtPeerSource implements PeerSource {
  readonly name = 'source:dht';
  private timer?: TimerHandle;
  private stopped = false;
  private running = false;
  /** Lookups run so far (tests and stats). */
  lookups = 0;

  constructor(private readonly ctx: PeerSourceContext, private readonly cfg: DhtSourceConfig) {}

  start(): void {
    const svc = ensureDhtService(this.ctx.host, { port: this.cfg.port, bootstrap: this.cfg.bootstrap });
    svc.whenReady((err, node) => {
      if (err || !node) { this.ctx.host.log.log('warn', 'dht source: no DHT node', { error: err?.message }); return; }
      this.run(node);
    });
  }

  completed(): void {}

  stop(done: () => void): void {
    this.stopped = true;
    this.timer?.cancel();
    done();
  }

  private run(node: DhtNode): void {
    if (this.stopped || this.running) return;
    this.running = true;
    this.lookups++;
    const onPeers = (peers: Address[]) => { if (!this.stopped) this.ctx.addPeers(peers, 'dht'); };
    const next = (found: number) => {
      this.running = false;
      if (this.stopped) return;
      this.timer = this.ctx.host.timers.after(found > 0 ? this.cfg.intervalMs : this.cfg.retryMs, () => this.run(node));
    };
    if (this.cfg.announce) node.announce(this.ctx.infoHash, this.ctx.port, (r) => next(r.lookup.peers.length), { impliedPort: this.cfg.impliedPort, onPeers });
    else node.getPeers(this.ctx.infoHash, (r) => next(r.peers.length), onPeers);
  }
}
