import type { Address, UdpNet, UdpSocket } from '../../core/seam/net.js';
import { BtLabError } from '../../core/util/errors.js';
import type { Random } from '../../core/seam/time.js';
import type { SimNetwork } from './network.js';
import type { SimNode } from './node.js';
import { assertLive } from './peer-net.js';

/** A bound datagram port. */
export interface UdpBinding {
  onDatagram: (data: Uint8Array, from: Address) => void;
  closed: boolean;
}

/**
 * Datagrams carry REAL bytes (tracker and DHT packets are small and the core parses them),
 * copied at send time like a real socket would. Each one takes the path latency, may be lost
 * with probability `udpLoss` (drawn from the sender's own network stream, so adding nodes never
 * changes another node's losses), and is silently dropped if nobody is bound at the far end.
 * Datagrams are not charged against the bandwidth model (see README).
 */
export function createSimUdp(net: SimNetwork, node: SimNode, lossRandom: Random): UdpNet {
  const ctx = node.ctx;
  const k = net.kernel;
  return {
    bind(opts, onDatagram, ready): void {
      assertLive(node, ctx);
      let err: Error | null = null;
      const host = opts.host;
      if (host !== undefined && host !== node.address && host !== '0.0.0.0' && host !== '::') {
        err = new BtLabError('EADDRNOTAVAIL', `bind EADDRNOTAVAIL ${host}`, { host });
      }
      const port = opts.port === 0 ? node.allocPort('udp') : opts.port;
      if (err === null && !(Number.isInteger(port) && port > 0 && port < 65536)) err = new BtLabError('EINVAL', `bind: bad port ${opts.port}`, { port: opts.port });
      if (err === null && node.udp.has(port)) err = new BtLabError('EADDRINUSE', `bind EADDRINUSE ${node.address}:${port}`, { port });
      let sock: UdpSocket | undefined;
      if (err === null) {
        const binding: UdpBinding = { onDatagram, closed: false };
        node.udp.set(port, binding);
        const from: Address = { host: node.address, port };
        sock = {
          port,
          send(data: Uint8Array, to: Address): void {
            if (binding.closed) return;
            node.stats.udpBytesUp += data.length;
            if (net.cfg.udpLoss > 0 && lossRandom.float() < net.cfg.udpLoss) return;
            const target = net.resolve(to.host);
            if (target === undefined) return;
            const copy = data.slice();
            const lat = net.latency(node, target);
            k.schedule(k.now + lat, () => {
              const b = target.udp.get(to.port);
              if (b === undefined || b.closed) return;
              target.stats.udpBytesDown += copy.length;
              b.onDatagram(copy, from);
            }, 0, target.ctx);
          },
          close(): void {
            if (binding.closed) return;
            binding.closed = true;
            if (node.udp.get(port) === binding) node.udp.delete(port);
          },
        };
      }
      k.schedule(k.now, () => ready(err, sock), 0, ctx);
    },
  };
}
