import test from 'ava';
import type { PeerSourceContext } from '../../core/plugin-api/peer-source.js';
import type { Host } from '../../core/seam/host.js';
import type { Address } from '../../core/seam/net.js';
import { getDhtService, closeDhtService } from '../../core/dht/service.js';
import { buildSwarm } from '../../core/dht/testing/swarm.js';
import { seededRandom } from '../../core/util/prng.js';
import { dhtSource } from './dht.js';

function ctxFor(host: Host, infoHash: Uint8Array, port: number, found: Address[], priv = false): PeerSourceContext {
  return {
    host, infoHash, peerId: new Uint8Array(20), port, trackers: [], private: priv,
    stats: () => ({ uploaded: 0, downloaded: 0, left: 1 }),
    addPeers: (p) => found.push(...p),
    peersWanted: () => 50,
  };
}

test('source:dht BEP 27: no DHT for private torrents', (t) => {
  const s = buildSwarm(1, 1);
  const host = { clock: s.sched, timers: s.sched, random: seededRandom(1), udp: s.net.udpFor('10.5.0.1'), log: { log() {} } } as unknown as Host;
  t.is(dhtSource.create(ctxFor(host, new Uint8Array(20), 1, [], true), {}), null);
});

test('source:dht: two torrents on two hosts find each other through a shared-per-host DHT node', (t) => {
  const s = buildSwarm(30, 21, { net: { latencyMs: 20, jitterMs: 20 } });
  s.sched.runUntil(30_000);
  const hash = seededRandom(99).bytes(20);
  const mkHost = (ip: string, seed: number) => ({ clock: s.sched, timers: s.sched, random: seededRandom(seed), udp: s.net.udpFor(ip), log: { log() {} } } as unknown as Host);
  const hostA = mkHost('10.7.0.1', 1), hostB = mkHost('10.7.0.2', 2);
  const opts = { bootstrap: `${s.addrs[0].host}:${s.addrs[0].port}`, port: 6881, retryMs: 5000, intervalMs: 5000 };
  const foundA: Address[] = [], foundB: Address[] = [];
  const a = dhtSource.create(ctxFor(hostA, hash, 5001, foundA), opts)!;
  const b = dhtSource.create(ctxFor(hostB, hash, 5002, foundB), opts)!;
  a.start();
  s.sched.runUntil(s.sched.now() + 10_000); // A announces first (finds nobody yet)
  b.start();
  const aFoundB = () => foundA.some((p) => p.host === '10.7.0.2' && p.port === 5002);
  s.sched.runUntilTrue(() => foundB.length > 0 && aFoundB(), s.sched.now() + 60_000);
  t.deepEqual(foundB.filter((p) => p.port !== 5002), [{ host: '10.7.0.1', port: 5001 }]);
  t.true(aFoundB()); // A looked up again and found B
  // One node per host, shared: a second torrent on host A reuses it.
  const svc = getDhtService(hostA)!;
  const c = dhtSource.create(ctxFor(hostA, seededRandom(5).bytes(20), 5003, []), opts)!;
  c.start();
  t.is(getDhtService(hostA), svc);
  for (const src of [a, b, c]) src.stop(() => {});
  closeDhtService(hostA); closeDhtService(hostB);
  t.is(getDhtService(hostA), undefined);
});
