import type { Host } from '../../seam/host.js';
import type { PeerSourceContext, TransferStats } from '../../plugin-api/peer-source.js';
import type { Address } from '../../seam/net.js';
import { seededRandom } from '../../util/prng.js';
import { FakeTime } from './fake-time.js';

/**
 * A Host with fake time and a seeded Random, and a PeerSourceContext over it, for tracker
 * plugin tests. Network members throw: a test must inject its own transport.
 */
export function fakeHost(seed: number, time = new FakeTime()): Host & { time: FakeTime } {
  const no = () => { throw new Error('fake host: no network here'); };
  return {
    time, clock: time, timers: time, random: seededRandom(seed),
    peers: { connect: no, listen: no }, udp: { bind: no }, http: { get: no, serve: no },
    storage: { open: no }, log: { log() {} },
  };
}

export function fakeSourceContext(host: Host, trackers: string[][], over: Partial<PeerSourceContext> = {}) {
  const added: Array<{ peers: Address[]; source: string }> = [];
  const stats: TransferStats = { uploaded: 0, downloaded: 0, left: 1000 };
  const ctx: PeerSourceContext = {
    host, infoHash: new Uint8Array(20).fill(0xab), peerId: new Uint8Array(20).fill(0x2d), port: 6881,
    trackers, private: false, stats: () => ({ ...stats }), addPeers: (peers, source) => added.push({ peers, source }),
    peersWanted: () => 40, ...over,
  };
  return { ctx, added, stats };
}
