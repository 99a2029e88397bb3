import type { Address } from '../../seam/net.js';
import type { Millis } from '../../seam/time.js';
import { seededRandom } from '../../util/prng.js';
import { DhtNode, type DhtNodeOptions } from '../node.js';
import { MemoryNetwork, VirtualScheduler, type MemoryNetworkOptions } from './memory-world.js';

/**
 * N DhtNodes on a MemoryNetwork, for tests and bench/dht.ts. Node i lives at 10.0.x.y:6881;
 * every node bootstraps from node 0 and joins `joinSpacingMs` after the previous one, so the
 * swarm grows the way a real one does.
 */
export interface Swarm {
  sched: VirtualScheduler;
  net: MemoryNetwork;
  nodes: DhtNode[];
  addrs: Address[];
}

export function swarmAddress(i: number): Address {
  return { host: `10.0.${(i >> 8) & 255}.${(i & 255) + 1}`, port: 6881 };
}

export function buildSwarm(n: number, seed: number, opts: { net?: MemoryNetworkOptions; node?: DhtNodeOptions; joinSpacingMs?: Millis } = {}): Swarm {
  const sched = new VirtualScheduler();
  const root = seededRandom(seed);
  const net = new MemoryNetwork(sched, root.fork('net'), opts.net);
  const nodes: DhtNode[] = [];
  const addrs: Address[] = [];
  for (let i = 0; i < n; i++) {
    const addr = swarmAddress(i);
    let node!: DhtNode;
    net.udpFor(addr.host).bind({ port: addr.port }, (d, from) => node.handleDatagram(d, from), (err, sock) => {
      if (err || !sock) throw err ?? new Error('bind');
      node = new DhtNode({ clock: sched, timers: sched, random: root.fork(`node-${i}`), send: (d, to) => sock.send(d, to) },
        { bootstrap: i === 0 ? [] : [swarmAddress(0)], ...opts.node });
    });
    nodes.push(node);
    addrs.push(addr);
  }
  const spacing = opts.joinSpacingMs ?? 200;
  nodes.forEach((node, i) => sched.after(i * spacing, () => node.start()));
  return { sched, net, nodes, addrs };
}
