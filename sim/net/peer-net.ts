import type { Address, Listener, PeerLink, PeerNet } from '../../core/seam/net.js';
import { BtLabError } from '../../core/util/errors.js';
import { SimUsageError } from '../kernel/errors.js';
import type { NodeCtx } from '../kernel/kernel.js';
import { LinkEnd } from './link.js';
import type { SimNetwork } from './network.js';
import type { SimNode } from './node.js';

/** Throws if code of a stopped incarnation tries to use the network (it cannot in-sim; only misuse can). */
export function assertLive(node: SimNode, ctx: NodeCtx): void {
  if (node.ctx !== ctx || !ctx.alive) throw new SimUsageError(`host of stopped node ${ctx.id} used`);
}

/**
 * PeerNet for one node incarnation.
 *
 * Dialing (TCP-like): the SYN reaches the target one latency later. No live node there → the
 * dial times out after connectTimeoutMs. A live node without a peer listener on that port →
 * 'connection refused' back after one round trip. Otherwise the target's listener gets the
 * accepted link at once (it may send right away) and the dialer's link is established one
 * latency later; anything the dialer sent before that waits in its queue.
 */
export function createSimPeerNet(net: SimNetwork, node: SimNode): PeerNet {
  const ctx = node.ctx;
  const k = net.kernel;
  return {
    connect(to: Address): PeerLink {
      assertLive(node, ctx);
      const end = new LinkEnd(net, node, { host: to.host, port: to.port }, true, node.allocPort('dial'));
      node.stats.linksDialed++;
      net.emitTrace(node, 'link.dial', { to: `${to.host}:${to.port}` });
      end.connectTimer = k.after(net.cfg.connectTimeoutMs, () => end.failConnect('connect timeout'), ctx);
      const target = net.resolve(to.host);
      if (target !== undefined) {
        const lat = net.latency(node, target);
        k.schedule(k.now + lat, () => arriveSyn(net, end, target, to.port, lat), 0, target.ctx);
      }
      return end;
    },

    listen(port, onLink, ready): void {
      assertLive(node, ctx);
      const p = port === 0 ? node.allocPort('tcp') : port;
      let err: Error | null = null;
      if (!(Number.isInteger(p) && p > 0 && p < 65536)) err = new BtLabError('EINVAL', `listen: bad port ${port}`, { port });
      else if (node.tcp.has(p)) err = new BtLabError('EADDRINUSE', `listen EADDRINUSE ${node.address}:${p}`, { port: p });
      let listener: Listener | undefined;
      if (err === null) {
        const service = { kind: 'peer' as const, onLink };
        node.tcp.set(p, service);
        listener = {
          port: p,
          close() { if (node.ctx === ctx && node.tcp.get(p) === service) node.tcp.delete(p); },
        };
      }
      k.schedule(k.now, () => ready(err, listener), 0, ctx);
    },
  };
}

function arriveSyn(net: SimNetwork, dialer: LinkEnd, target: SimNode, port: number, lat: number): void {
  const k = net.kernel;
  if (dialer.isClosed) return; // the dialer gave up (or its node stopped) before we heard it
  const svc = target.tcp.get(port);
  if (svc === undefined || svc.kind !== 'peer') {
    k.schedule(k.now + lat, () => dialer.failConnect('connection refused'), 0, dialer.ctx);
    return;
  }
  const acc = new LinkEnd(net, target, { host: dialer.node.address, port: dialer.localPort }, false, port);
  acc.peer = dialer;
  dialer.peer = acc;
  // The reverse path may differ when a custom latency function is asymmetric.
  dialer.latency = net.latency(dialer.node, target);
  acc.latency = net.latency(target, dialer.node);
  target.stats.linksAccepted++;
  net.emitTrace(target, 'link.accept', { from: `${dialer.node.address}:${dialer.localPort}`, port });
  k.schedule(k.now + acc.latency, () => dialer.established(), 0, dialer.ctx);
  svc.onLink(acc);
}
