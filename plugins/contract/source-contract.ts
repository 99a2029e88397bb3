/**
 * The peer-source contract (core/plugin-api/peer-source.ts), checked on any
 * PeerSourcePlugin by running it for real — inside the simulator, so it is deterministic and
 * touches no network:
 *
 *  VALID   every address it reports is dialable: an IPv4/IPv6 literal or a DNS name (BEP 3's
 *          dictionary peers may carry names), and an integer port in 1..65535;
 *  STOP    stop(done) calls done, within `stopWithinMs` of simulated time;
 *  PRIVATE (reported, not required) whether it declines private torrents (BEP 27: trackers
 *          only — DHT, PEX and LSD must return null).
 *
 * The world has an in-sim tracker (bt-lab's server, HTTP on :80 and UDP on :6969 at
 * 10.255.255.254) that already knows `swarm` peers of the torrent, so tracker sources have
 * something to find; the source's node is 10.0.0.1.
 */
import type { PeerSourceContext, PeerSourcePlugin } from '../../core/plugin-api/peer-source.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import type { Address } from '../../core/seam/net.js';
import { TrackerServer } from '../../core/tracker/server/tracker-server.js';
import { serveTracker } from '../../core/tracker/server/serve.js';
import { parseIpv4, parseIpv6 } from '../../core/tracker/ip.js';
import { closeDhtService } from '../../core/dht/service.js';
import { seededRandom } from '../../core/util/prng.js';
import { SimWorld } from '../../sim/world.js';
import { createSimHost } from '../../sim/host.js';
import type { ContractResult } from './result.js';

export const CONTRACT_TRACKER = '10.255.255.254';

/** Dialable: an IP literal or an RFC 1123 host name, and a port in 1..65535. */
export function addressProblem(a: unknown): string | null {
  if (typeof a !== 'object' || a === null) return `not an object: ${String(a)}`;
  const { host, port } = a as Address;
  if (typeof host !== 'string' || host.length === 0) return `host is ${JSON.stringify(host)}`;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${String(port)} of ${host} is not 1..65535`;
  if (parseIpv4(host) || parseIpv6(host)) return null;
  const name = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
  return name.test(host) && !/^[0-9.]+$/.test(host) ? null : `host "${host}" is neither an IP literal nor a host name`;
}

export interface SourceRun {
  created: boolean;
  found: Address[];
  problems: string[];
  stopped: boolean;
  privateDeclined: boolean;
}

export interface SourceContractOptions {
  options?: PluginOptions;
  seed?: number;
  /** Peers the in-sim tracker knows. */
  swarm?: number;
  runMs?: number;
  stopWithinMs?: number;
}

function announceQuery(infoHash: Uint8Array, peerId: Uint8Array, port: number): string {
  const pct = (b: Uint8Array) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('');
  return `info_hash=${pct(infoHash)}&peer_id=${pct(peerId)}&port=${port}&uploaded=0&downloaded=0&left=1000&compact=1&event=started`;
}

/** Run the source once in a fresh world. */
export function runSource(plugin: PeerSourcePlugin, o: SourceContractOptions = {}): SourceRun {
  const seed = o.seed ?? 1;
  const world = new SimWorld({ seed });
  const infoHash = seededRandom(seed).fork('infohash').bytes(20);
  const tnode = world.addNode({ id: 'tracker', address: CONTRACT_TRACKER, upBps: 1e9, downBps: 1e9, accessLatencyMs: 5 });
  world.within(tnode.id, () => {
    const th = createSimHost(world, tnode.id);
    const server = new TrackerServer({ clock: th.clock, random: th.random, intervalS: 60, minIntervalS: 30 });
    for (let i = 0; i < (o.swarm ?? 5); i++) {
      server.handleHttp({ path: '/announce', rawQuery: announceQuery(infoHash, th.random.bytes(20), 6881 + i), remote: { host: `10.1.0.${i + 1}`, port: 40000 + i } });
    }
    serveTracker(server, { http: { net: th.http, port: 80 }, udp: { net: th.udp, port: 6969 } }, (err) => { if (err) throw err; });
  });
  const node = world.addNode({ id: 'client', address: '10.0.0.1', accessLatencyMs: 5 });
  const out: SourceRun = { created: false, found: [], problems: [], stopped: false, privateDeclined: false };
  world.within(node.id, () => {
    const host = createSimHost(world, node.id, { logLevel: 'error' });
    const ctx = (priv: boolean): PeerSourceContext => ({
      host, infoHash, peerId: host.random.bytes(20), port: 6881,
      trackers: [[`http://${CONTRACT_TRACKER}:80/announce`], [`udp://${CONTRACT_TRACKER}:6969/announce`]],
      private: priv,
      stats: () => ({ uploaded: 0, downloaded: 0, left: 1000 }),
      addPeers: (peers) => {
        if (!Array.isArray(peers)) { out.problems.push('addPeers called with a non-array'); return; }
        for (const p of peers) {
          const bad = addressProblem(p);
          if (bad) out.problems.push(bad); else out.found.push(p);
        }
      },
      peersWanted: () => 50,
    });
    out.privateDeclined = plugin.create(ctx(true), o.options ?? {}) === null;
    const src = plugin.create(ctx(false), o.options ?? {});
    if (!src) return;
    out.created = true;
    src.start();
    world.at(o.runMs ?? 60_000, () => world.within(node.id, () => src.stop(() => { out.stopped = true; })));
    world.at((o.runMs ?? 60_000) + (o.stopWithinMs ?? 30_000), () => closeDhtService(host));
  });
  world.run({ until: (o.runMs ?? 60_000) + (o.stopWithinMs ?? 30_000) + 1 });
  return out;
}

export function checkSource(plugin: PeerSourcePlugin, o: SourceContractOptions = {}): ContractResult[] {
  let run: SourceRun;
  try { run = runSource(plugin, o); } catch (err) {
    return [{ plugin: plugin.name, check: 'source: runs in the simulator', ok: false, detail: `threw: ${(err as Error).message}` }];
  }
  const results: ContractResult[] = [
    {
      plugin: plugin.name, check: `source: yields only valid addresses (${run.found.length} found${run.created ? '' : '; create() returned null'})`,
      ok: run.problems.length === 0, detail: run.problems.slice(0, 5).join('; ') || undefined,
    },
  ];
  if (run.created) results.push({ plugin: plugin.name, check: 'source: stop(done) calls done', ok: run.stopped, detail: run.stopped ? undefined : 'done was not called' });
  return results;
}
