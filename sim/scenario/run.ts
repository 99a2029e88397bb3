import type { Random } from '../../core/seam/time.js';
import type { TorrentInfo } from '../../core/metainfo/types.js';
import { Client } from '../../core/client/client.js';
import type { Torrent } from '../../core/torrent/torrent.js';
import { TrackerServer } from '../../core/tracker/server/tracker-server.js';
import { serveTracker } from '../../core/tracker/server/serve.js';
import { httpTrackerSource } from '../../plugins/sources/http-tracker.js';
import { builtinChoker, builtinPicker } from '../../plugins/registry.js';
import { SimWorld } from '../world.js';
import { createSimHost } from '../host.js';
import type { TraceWriter } from '../trace.js';
import type { BandwidthClass, Scenario } from './types.js';
import { syntheticTorrent } from './synthetic-torrent.js';
import { summarizeRun, type RunSummary } from './summary.js';
import type { ScenarioPlugins } from './plugins.js';

export interface NodeResult {
  id: string;
  role: 'seed' | 'leecher';
  class: string;
  picker: string;
  choker: string;
  freeRider: boolean;
  bad: boolean;
  upBps: number;
  downBps: number;
  /** Simulated seconds. */
  arrivedAt: number;
  completedAt: number | null;
  leftAt: number | null;
  /** Block payload bytes, over the node's whole life. */
  uploaded: number;
  downloaded: number;
  /** Seconds spent online (all incarnations). */
  onlineSec: number;
  /** Seconds this node was unchoked by others (summed over everyone who unchoked it). */
  unchokedSec: number;
}

export interface Sample {
  t: number;
  online: number;
  completed: number;
  /** Mean fraction of the file held by online leechers. */
  meanProgress: number;
  /** Copies of the rarest and the average piece among online nodes (the last-pieces problem). */
  availMin: number;
  availMean: number;
  /** Upload bytes/s over the last sample period, summed over all nodes. */
  uploadBps: number;
}

export interface SimResult {
  scenario: Scenario;
  summary: RunSummary;
  nodes: NodeResult[];
  samples: Sample[];
  simSeconds: number;
  events: number;
}

export interface RunOptions {
  trace?: TraceWriter;
  /**
   * Plugins by the names the scenario uses (loadScenarioPlugins: module paths and packages,
   * loaded before the run). A name not in here must be a built-in.
   */
  plugins?: ScenarioPlugins;
  /** Called about every simulated `sampleEverySec`, with the fraction of leechers done. */
  onProgress?: (done: number, total: number, simSeconds: number) => void;
}

interface Live {
  r: NodeResult;
  client?: Client;
  torrent?: Torrent;
  onlineSince: number;
}

const TRACKER_ADDR = '10.255.255.254';

function pickClass(classes: BandwidthClass[], rng: Random): BandwidthClass {
  const total = classes.reduce((a, c) => a + c.fraction, 0);
  let x = rng.float() * total;
  for (const c of classes) { x -= c.fraction; if (x < 0) return c; }
  return classes[classes.length - 1];
}

/**
 * Run one simulated swarm: an in-sim HTTP tracker (bt-lab's own tracker server), initial seeds,
 * leechers arriving as the scenario says, each a full bt-lab client (the same core as
 * `bt-lab download`) on a simulated host. Everything is driven by the kernel and the seed.
 */
export function runScenario(s: Scenario, opts: RunOptions = {}): SimResult {
  const world = new SimWorld({ seed: s.seed, trace: opts.trace });
  const info: TorrentInfo = syntheticTorrent(s.fileBytes, s.pieceLength);
  const rng = world.root.fork('scenario');
  const trackerUrl = `http://${TRACKER_ADDR}:80/announce`;
  const live = new Map<string, Live>();
  const nodes: NodeResult[] = [];
  const sec = () => world.now / 1000;

  // The tracker: bt-lab's own server, in-sim.
  const tnode = world.addNode({ id: 'tracker', address: TRACKER_ADDR, upBps: 1e9, downBps: 1e9, accessLatencyMs: 5 });
  world.within(tnode.id, () => {
    const th = createSimHost(world, tnode.id);
    const server = new TrackerServer({ clock: th.clock, random: th.random, intervalS: s.trackerIntervalSec, minIntervalS: Math.min(60, s.trackerIntervalSec), defaultNumwant: s.numwant, maxNumwant: s.numwant });
    serveTracker(server, { http: { net: th.http, port: 80 } }, (err) => { if (err) throw err; });
  });

  const startClient = (l: Live) => {
    const id = l.r.id;
    world.within(id, () => {
      const host = createSimHost(world, id, { logLevel: 'warn' });
      const client = new Client(host);
      l.client = client;
      l.onlineSince = world.now;
      client.listen(6881, (err) => {
        if (err) throw err;
        const torrent = client.add({
          info,
          picker: (opts.plugins?.pickers.get(l.r.picker) ?? builtinPicker(l.r.picker)).create(s.pickerOptions),
          choker: (opts.plugins?.chokers.get(l.r.choker) ?? builtinChoker(l.r.choker)).create(s.chokerOptions),
          sources: [{ plugin: httpTrackerSource }],
          trackers: [[trackerUrl]],
          // Like a real client told its listen address: PEX lists may name us (pex/state.ts).
          selfAddresses: [`${world.node(id).address}:${client.port}`],
          config: { maxPeers: s.maxPeers, uploadCapacityBps: l.r.upBps, ...(s.maxKnownPeers !== undefined ? { maxKnownPeers: s.maxKnownPeers } : {}) },
          events: { complete: () => onComplete(l) },
        });
        l.torrent = torrent;
        torrent.start();
      });
    });
  };

  // Unchoke time, credited to the node that received it (reports: choker fairness).
  const unchokedMs = new Map<string, number>();
  const idByAddress = new Map<string, string>();
  const collectUnchokes = (l: Live) => {
    const times = l.torrent?.unchokeTimes();
    if (!times) return;
    for (const [key, ms] of Object.entries(times)) {
      const id = idByAddress.get(key.slice(0, key.lastIndexOf(':')));
      if (id !== undefined) unchokedMs.set(id, (unchokedMs.get(id) ?? 0) + ms);
    }
  };

  const leave = (l: Live, final: boolean) => {
    if (!l.client) return;
    collectUnchokes(l);
    const id = l.r.id;
    l.r.onlineSec += (world.now - l.onlineSince) / 1000;
    const client = l.client;
    l.client = undefined;
    l.torrent = undefined;
    world.within(id, () => client.close(() => {}));
    // Give the `stopped` announce a moment to leave, then take the node off the network.
    world.at(world.now + 2000, () => world.stopNode(id, final ? 'left' : 'churn'));
    if (final) l.r.leftAt = sec();
    world.trace?.emit(world.now, id, final ? 'leave' : 'churn-out', {});
  };

  const onComplete = (l: Live) => {
    if (l.r.completedAt !== null) return;
    l.r.completedAt = Number((sec() - l.r.arrivedAt).toFixed(3));
    world.trace?.emit(world.now, l.r.id, 'complete', { seconds: l.r.completedAt });
    const d = s.departure;
    if (d.kind === 'leave') world.at(world.now + 1, () => leave(l, true));
    else if (d.kind === 'seed') world.at(world.now + d.seconds * 1000, () => leave(l, true));
  };

  // Seeds at t = 0.
  for (let i = 0; i < s.seeds; i++) {
    const r: NodeResult = { id: `seed${i}`, role: 'seed', class: 'seed', picker: s.picker, choker: s.choker, freeRider: false, bad: false, upBps: s.seedUpBps, downBps: s.seedUpBps, arrivedAt: 0, completedAt: null, leftAt: null, uploaded: 0, downloaded: 0, onlineSec: 0, unchokedSec: 0 };
    nodes.push(r);
    idByAddress.set(world.addNode({ id: r.id, upBps: r.upBps, downBps: r.downBps, accessLatencyMs: 5, seed: true, label: 'seed' }).address, r.id);
    const l: Live = { r, onlineSince: 0 };
    live.set(r.id, l);
    startClient(l);
  }

  // Leechers: class, strategy and behaviour drawn from the scenario stream, then arrival times.
  let t = 0;
  for (let i = 0; i < s.peers; i++) {
    const c = pickClass(s.classes, rng);
    let picker = s.picker, choker = s.choker;
    let x = rng.float();
    for (const m of s.mix) { if (x < m.fraction) { picker = m.picker ?? picker; choker = m.choker ?? choker; break; } x -= m.fraction; }
    const freeRider = rng.float() < s.freeRiders;
    const bad = rng.float() < s.badPeers;
    if (freeRider) choker = 'freerider';
    if (s.arrivals.kind === 'poisson') t += (-Math.log(1 - rng.float()) / s.arrivals.ratePerSec) * 1000;
    const r: NodeResult = { id: `p${i}`, role: 'leecher', class: c.name, picker, choker, freeRider, bad, upBps: c.upBps, downBps: c.downBps, arrivedAt: Number((t / 1000).toFixed(3)), completedAt: null, leftAt: null, uploaded: 0, downloaded: 0, onlineSec: 0, unchokedSec: 0 };
    nodes.push(r);
    const l: Live = { r, onlineSince: 0 };
    live.set(r.id, l);
    const spec = { id: r.id, upBps: c.upBps, downBps: c.downBps, accessLatencyMs: c.latencyMs ?? 10, bad, label: c.name };
    const arrive = () => {
      idByAddress.set(world.addNode(spec).address, r.id);
      world.trace?.emit(world.now, r.id, 'join', { class: c.name, picker, choker });
      startClient(l);
    };
    if (t === 0) arrive(); else world.at(Math.round(t), arrive);
  }

  // Churn: a downloading leecher drops out and comes back.
  if (s.churn && s.churn.ratePerHour > 0) {
    const meanGapMs = 3_600_000 / s.churn.ratePerHour;
    for (const l of live.values()) {
      if (l.r.role !== 'leecher') continue;
      const crng = rng.fork(`churn:${l.r.id}`);
      let at = l.r.arrivedAt * 1000;
      while (at < s.maxSeconds * 1000) {
        at += -Math.log(1 - crng.float()) * meanGapMs;
        const when = Math.round(at);
        world.at(when, () => {
          if (!l.client || l.r.completedAt !== null) return;
          leave(l, false);
          world.at(world.now + s.churn!.downSec * 1000, () => { if (l.r.leftAt === null) { world.restartNode(l.r.id); startClient(l); } });
        });
        at += s.churn.downSec * 1000;
      }
    }
  }

  // Samples, progress, and the stop condition.
  const samples: Sample[] = [];
  let lastUp = 0;
  const leechers = nodes.filter((n) => n.role === 'leecher');
  const sample = () => {
    let online = 0, progress = 0, onlineLeechers = 0;
    const avail = new Int32Array(info.pieceCount);
    let any = false;
    for (const l of live.values()) {
      if (!l.torrent) continue;
      online++;
      any = true;
      const have = l.torrent.pieces.haveArray();
      for (let i = 0; i < have.length; i++) avail[i] += have[i];
      if (l.r.role === 'leecher') { onlineLeechers++; progress += l.torrent.pieces.haveBytes / info.totalLength; }
    }
    let min = any ? Infinity : 0, sum = 0;
    for (let i = 0; i < avail.length; i++) { if (avail[i] < min) min = avail[i]; sum += avail[i]; }
    let up = 0;
    for (const n of world.nodes()) up += n.stats.pieceBytesUp;
    const completed = leechers.filter((n) => n.completedAt !== null).length;
    samples.push({
      t: Number(sec().toFixed(3)), online, completed,
      meanProgress: onlineLeechers ? Number((progress / onlineLeechers).toFixed(6)) : 1,
      availMin: min, availMean: Number((sum / Math.max(1, avail.length)).toFixed(4)),
      uploadBps: Math.round(((up - lastUp) * 1000) / (s.sampleEverySec * 1000)),
    });
    lastUp = up;
    opts.onProgress?.(completed, leechers.length, sec());
    return completed;
  };
  const periodMs = s.sampleEverySec * 1000;
  let events = 0;
  let until = 0;
  while (true) {
    until += periodMs;
    const r = world.run({ until: Math.min(until, s.maxSeconds * 1000) });
    events += r.events;
    const done = sample();
    const allArrived = leechers.every((n) => n.arrivedAt * 1000 <= world.now);
    if ((done === leechers.length && allArrived) || world.now >= s.maxSeconds * 1000 || r.reason === 'idle') break;
  }

  // Close the books.
  for (const l of live.values()) if (l.client) { l.r.onlineSec += (world.now - l.onlineSince) / 1000; collectUnchokes(l); }
  for (const n of nodes) {
    const sn = world.node(n.id);
    n.uploaded = sn.stats.pieceBytesUp;
    n.downloaded = sn.stats.pieceBytesDown;
    n.onlineSec = Number(n.onlineSec.toFixed(3));
    n.unchokedSec = Number(((unchokedMs.get(n.id) ?? 0) / 1000).toFixed(3));
  }
  const simSeconds = Number(sec().toFixed(3));
  return { scenario: s, summary: summarizeRun(s, nodes, simSeconds), nodes, samples, simSeconds, events };
}
