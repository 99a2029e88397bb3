/**
 * DHT lookups on an in-memory network: `node dist/bench/dht.js [--nodes 200] [--lookups 400]
 * [--seed 1] [--loss 0] [--latency 20] [--jitter 30]`.
 *
 * Builds N DhtNodes on core/dht/testing (virtual clock, in-memory UDP with latency/jitter/
 * loss), lets them join one after another through node 0, then measures:
 * - join: datagrams per node and routing-table sizes after 60 virtual seconds;
 * - find_node: lookups per second of real CPU time (the simulation runs as fast as it can),
 *   queries and datagrams per lookup, virtual latency, and how often the lookup's closest
 *   answer is the true closest node (brute force over all N ids);
 * - get_peers after announce_peer: how often a peer announced by one node is found by another.
 */
import { performance } from 'node:perf_hooks';
import { compareDistance } from '../core/dht/node-id.js';
import { buildSwarm } from '../core/dht/testing/swarm.js';
import { bytesEqual } from '../core/util/bytes.js';
import { seededRandom } from '../core/util/prng.js';
import type { LookupResult } from '../core/dht/lookup.js';
import type { Address } from '../core/seam/net.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const N = Number(arg('nodes', '200'));
const LOOKUPS = Number(arg('lookups', '400'));
const seed = Number(arg('seed', '1'));
const loss = Number(arg('loss', '0'));
const latencyMs = Number(arg('latency', '20'));
const jitterMs = Number(arg('jitter', '30'));

const t0 = performance.now();
const s = buildSwarm(N, seed, { net: { latencyMs, jitterMs, loss }, joinSpacingMs: 100 });
s.sched.runUntil(N * 100 + 60_000);
const joinMs = performance.now() - t0;
const sizes = s.nodes.map((n) => n.table.size).sort((a, b) => a - b);
console.log(`join: ${N} nodes, ${s.net.datagrams} datagrams (${(s.net.datagrams / N).toFixed(1)}/node), ` +
  `table size min/median/max ${sizes[0]}/${sizes[N >> 1]}/${sizes[N - 1]}, ${joinMs.toFixed(0)} ms CPU`);

const rng = seededRandom(seed + 1000);
const ids = s.nodes.map((n) => n.id);

// find_node: one lookup at a time, so per-lookup message counts are exact.
let exact = 0, queries = 0, datagrams = 0, virtualMs = 0, cpuMs = 0;
for (let i = 0; i < LOOKUPS; i++) {
  const from = s.nodes[rng.int(N)];
  const target = rng.bytes(20);
  let res: LookupResult | undefined;
  const d0 = s.net.datagrams, v0 = s.sched.now(), c0 = performance.now();
  from.findNode(target, (r) => { res = r; });
  s.sched.runUntilTrue(() => res !== undefined, s.sched.now() + 60_000);
  cpuMs += performance.now() - c0;
  if (!res) continue;
  virtualMs += s.sched.now() - v0;
  datagrams += s.net.datagrams - d0;
  queries += res.queried;
  const truth = ids.filter((id) => !bytesEqual(id, from.id)).sort((a, b) => compareDistance(target, a, b))[0];
  if (res.closest[0] && bytesEqual(res.closest[0].id, truth)) exact++;
}
console.log(`find_node: ${LOOKUPS} lookups, ${(LOOKUPS / (cpuMs / 1000)).toFixed(0)} lookups/s CPU, ` +
  `${(queries / LOOKUPS).toFixed(1)} queries/lookup, ${(datagrams / LOOKUPS).toFixed(1)} datagrams/lookup (incl. replies and table upkeep), ` +
  `${(virtualMs / LOOKUPS).toFixed(0)} ms virtual latency, true closest found ${(100 * exact / LOOKUPS).toFixed(1)} %`);

// announce then get_peers from someone else.
const HASHES = Math.max(10, Math.floor(LOOKUPS / 10));
let found = 0, stored = 0;
const c1 = performance.now();
for (let i = 0; i < HASHES; i++) {
  const hash = rng.bytes(20);
  const a = rng.int(N);
  let b = rng.int(N); if (b === a) b = (b + 1) % N;
  let done = false;
  s.nodes[a].announce(hash, 10_000 + i, (r) => { stored += r.stored; done = true; });
  s.sched.runUntilTrue(() => done, s.sched.now() + 60_000);
  let peers: Address[] | undefined;
  s.nodes[b].getPeers(hash, (r) => { peers = r.peers; });
  s.sched.runUntilTrue(() => peers !== undefined, s.sched.now() + 60_000);
  if (peers?.some((p) => p.host === s.addrs[a].host && p.port === 10_000 + i)) found++;
}
console.log(`announce+get_peers: ${HASHES} hashes, stored on ${(stored / HASHES).toFixed(1)} nodes each, ` +
  `found by another node ${(100 * found / HASHES).toFixed(1)} %, ${(performance.now() - c1).toFixed(0)} ms CPU`);
