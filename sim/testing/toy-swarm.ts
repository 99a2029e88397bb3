import type { PeerLink } from '../../core/seam/net.js';
import type { PeerMessage } from '../../core/wire/types.js';
import { BLOCK_SIZE } from '../../core/wire/types.js';
import { createSimHost, type SimHost } from '../host.js';
import type { SimWorld } from '../world.js';
import { virtualBlock } from '../storage/virtual-data.js';

/**
 * A TOY protocol for tests and benchmarks (not BitTorrent logic): every node listens on
 * 6881 and, after a random start delay, dials `peersPerNode` random others. Both ends
 * handshake; the dialer then sends `blocksPerLink` piece messages carrying virtual 16 KiB
 * blocks and, when `pingsPerLink` > 0, that many small pings that the other end echoes.
 * With `pipeline` set, the dialer instead DOWNLOADS: it keeps that many requests
 * outstanding and the other end answers each with a piece (BitTorrent-like request
 * pipelining, so only a bounded amount is ever in flight).
 * Everything random comes from each node's own stream, so a seed fixes the whole run.
 */
export interface ToyOptions {
  peersPerNode: number;
  blocksPerLink: number;
  pingsPerLink?: number;
  blockSize?: number;
  /** Nodes start at a uniform random time in [0, startJitterMs). Default 1000. */
  startJitterMs?: number;
  /** Request-pipelined download mode (see above): requests outstanding per link. */
  pipeline?: number;
  /** Write a trace line per delivered block/ping (determinism tests). */
  traceEvents?: boolean;
}

export interface ToyResult {
  hosts: SimHost[];
  /** Per node: messages received (pieces + pings + pongs). */
  received: number[];
  blocksDelivered: number;
  pingsAnswered: number;
  /** Round-trip times of answered pings, ms. */
  rtts: number[];
  linksClosed: number;
}

export function installToySwarm(world: SimWorld, opts: ToyOptions): ToyResult {
  const nodes = world.nodes();
  const n = nodes.length;
  const size = opts.blockSize ?? BLOCK_SIZE;
  const pings = opts.pingsPerLink ?? 0;
  const jitter = opts.startJitterMs ?? 1000;
  const res: ToyResult = { hosts: [], received: new Array<number>(n).fill(0), blocksDelivered: 0, pingsAnswered: 0, rtts: [], linksClosed: 0 };
  const tr = world.trace;

  nodes.forEach((node, i) => {
    const host = createSimHost(world, node.id);
    res.hosts.push(host);
    const serve = (link: PeerLink, dialer: boolean): void => {
      let sentAt: number[] = [];
      let requested = 0;
      const request = (): void => {
        link.send({ type: 'request', index: requested++, begin: 0, length: size });
      };
      link.attach({
        onHandshake: () => {
          if (!dialer) link.sendHandshake({ reserved: new Uint8Array(8), infoHash: new Uint8Array(20), peerId: host.random.bytes(20) });
          else if (opts.pipeline) for (let q = 0; q < opts.pipeline && requested < opts.blocksPerLink; q++) request();
        },
        onMessage: (m: PeerMessage) => {
          res.received[i]++;
          if (m.type === 'request') {
            link.send({ type: 'piece', index: m.index, begin: m.begin, block: virtualBlock(m.length, false) });
          } else if (m.type === 'piece') {
            res.blocksDelivered++;
            if (opts.pipeline && requested < opts.blocksPerLink) request();
            if (opts.traceEvents && tr?.enabled) tr.emit(host.clock.now(), node.id, 'toy.block', { index: m.index, begin: m.begin });
          } else if (m.type === 'extended' && m.id === 1) {
            link.send({ type: 'extended', id: 2, payload: m.payload }); // echo
          } else if (m.type === 'extended' && m.id === 2) {
            const k = m.payload[0] | (m.payload[1] << 8);
            res.rtts.push(host.clock.now() - sentAt[k]);
            res.pingsAnswered++;
            if (opts.traceEvents && tr?.enabled) tr.emit(host.clock.now(), node.id, 'toy.pong', { k });
          }
        },
        onDrain: () => {},
        onClose: () => { res.linksClosed++; },
      });
      if (dialer) {
        link.sendHandshake({ reserved: new Uint8Array(8), infoHash: new Uint8Array(20), peerId: host.random.bytes(20) });
        if (!opts.pipeline) for (let b = 0; b < opts.blocksPerLink; b++) link.send({ type: 'piece', index: b, begin: 0, block: virtualBlock(size, false) });
        sentAt = new Array<number>(pings);
        for (let k = 0; k < pings; k++) {
          // Pings go out at random times so the run exercises many distinct event times.
          host.timers.after(host.random.int(500), () => {
            sentAt[k] = host.clock.now();
            link.send({ type: 'extended', id: 1, payload: Uint8Array.of(k & 255, k >> 8) });
          });
        }
      }
    };
    world.within(node.id, () => {
      host.peers.listen(6881, (link) => serve(link, false), (err) => { if (err) throw err; });
      host.timers.after(host.random.int(Math.max(1, jitter)), () => {
        for (let p = 0; p < opts.peersPerNode && n > 1; p++) {
          let j = host.random.int(n - 1);
          if (j >= i) j++;
          serve(host.peers.connect({ host: nodes[j].address, port: 6881 }), true);
        }
      });
    });
  });
  return res;
}
