import type { Host } from '../seam/host.js';
import type { UdpSocket } from '../seam/net.js';
import { DhtNode, type DhtNodeOptions } from './node.js';

/**
 * One DHT node per host process, shared by all torrents. The service owns the UDP socket and
 * the DhtNode; peer sources (plugins/sources/dht.ts) find it through a registry keyed by the
 * Host object, so the engine never has to thread it through. Whoever creates the service first
 * (the CLI, or the first DHT source with its options) decides port and bootstrap contacts.
 *
 *   const svc = ensureDhtService(host, { port: 6881, bootstrap: [...] });
 *   svc.whenReady((err, node) => node?.getPeers(infoHash, done));
 *   ... closeDhtService(host) at shutdown (persist svc.node.save() first, RT-8).
 */
export interface DhtServiceOptions extends DhtNodeOptions {
  /** UDP port to bind (0 = any). */
  port?: number;
  /** Local address to bind (default: all interfaces). */
  bindHost?: string;
}

export class DhtService {
  node?: DhtNode;
  socket?: UdpSocket;
  error?: Error;
  private waiters: Array<(err: Error | null, node?: DhtNode) => void> = [];
  private closed = false;

  constructor(readonly host: Host, opts: DhtServiceOptions = {}) {
    let node: DhtNode | undefined;
    const bindOpts: { port: number; host?: string } = { port: opts.port ?? 0 };
    if (opts.bindHost) bindOpts.host = opts.bindHost;
    host.udp.bind(bindOpts, (data, from) => node?.handleDatagram(data, from), (err, sock) => {
      if (err || !sock) { this.fail(err ?? new Error('dht: bind failed')); return; }
      if (this.closed) { sock.close(); return; }
      this.socket = sock;
      node = new DhtNode({
        clock: host.clock, timers: host.timers, random: host.random.fork('dht'), log: host.log,
        send: (d, to) => sock.send(d, to),
      }, opts);
      this.node = node;
      node.start();
      host.log.log('info', 'dht: listening', { port: sock.port });
      const ws = this.waiters; this.waiters = [];
      for (const w of ws) w(null, node);
    });
  }

  get port(): number | undefined { return this.socket?.port; }

  /** `cb` runs once the socket is bound (at once if it already is). */
  whenReady(cb: (err: Error | null, node?: DhtNode) => void): void {
    if (this.node) cb(null, this.node);
    else if (this.error) cb(this.error);
    else this.waiters.push(cb);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.node?.stop();
    this.socket?.close();
  }

  private fail(err: Error): void {
    this.error = err;
    this.host.log.log('warn', 'dht: could not bind', { error: err.message });
    const ws = this.waiters; this.waiters = [];
    for (const w of ws) w(err);
  }
}

const registry = new WeakMap<Host, DhtService>();

/** The host's DHT service, created (and its socket bound) on first use. */
export function ensureDhtService(host: Host, opts: DhtServiceOptions = {}): DhtService {
  let s = registry.get(host);
  if (!s) { s = new DhtService(host, opts); registry.set(host, s); }
  return s;
}

export function getDhtService(host: Host): DhtService | undefined { return registry.get(host); }

/** Register a service built elsewhere (e.g. with a loaded table); replaces any previous one. */
export function registerDhtService(host: Host, svc: DhtService): void { registry.set(host, svc); }

export function closeDhtService(host: Host): void {
  registry.get(host)?.close();
  registry.delete(host);
}
