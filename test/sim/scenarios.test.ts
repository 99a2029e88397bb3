/**
 * The example scenario files in sim/scenarios/ load (unknown keys are refused, values are
 * checked by makeScenario) and run: each briefly — fewer peers, a smaller file, a short
 * horizon — with the behaviour it is about visible in the result.
 */
import test from 'ava';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readScenarioFile } from '../../sim/scenario/io.js';
import { makeScenario, type Scenario } from '../../sim/scenario/types.js';
import { runScenario, type SimResult } from '../../sim/scenario/run.js';
import { TraceWriter, memorySink } from '../../sim/trace.js';
import { PeerPool } from '../../core/torrent/peer-pool.js';

const DIR = join(process.cwd(), 'sim', 'scenarios');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

/** Shrink a scenario so it runs in about a second: ≤ 24 leechers, ≤ 4 MiB, ≤ 120 simulated s (and faster churn). */
function brief(s: Scenario): Scenario {
  const poisson = s.arrivals.kind === 'poisson' ? { kind: 'poisson' as const, ratePerSec: Math.max(s.arrivals.ratePerSec, 1) } : s.arrivals;
  // Downloads of a 4 MiB file are short: churn at least every 3 minutes so that some happens.
  const churn = s.churn ? { ...s.churn, ratePerHour: Math.max(s.churn.ratePerHour, 1200), downSec: Math.min(s.churn.downSec, 10) } : undefined;
  return makeScenario({ ...s, peers: Math.min(s.peers, 24), fileBytes: Math.min(s.fileBytes, 4 * 1024 * 1024), maxSeconds: Math.min(s.maxSeconds, 120), arrivals: poisson, churn });
}

function run(file: string): { s: Scenario; r: SimResult; trace: string } {
  const s = brief(makeScenario(readScenarioFile(join(DIR, file))));
  const sink = memorySink();
  const tw = new TraceWriter({ sink });
  const r = runScenario(s, { trace: tw });
  tw.close();
  return { s, r, trace: sink.text() };
}

test('scenarios: the example files are there', (t) => {
  t.deepEqual(files, ['churn.json', 'flash-crowd.json', 'free-riders.json', 'mixed-strategies.json', 'poisson-seeding.json']);
});

for (const file of files) {
  test(`scenarios: ${file} loads and runs briefly`, (t) => {
    const { s, r, trace } = run(file);
    t.is(r.nodes.length, s.peers + s.seeds);
    t.true(r.simSeconds > 0 && r.simSeconds <= s.maxSeconds);
    t.true(r.nodes.some((n) => n.role === 'leecher' && n.downloaded > 0), 'data moved');
    t.true(r.samples.length > 0);
    switch (file) {
      case 'flash-crowd.json':
        t.true(r.nodes.every((n) => n.arrivedAt === 0));
        t.is(r.summary.completed, s.peers, 'a small flash crowd finishes');
        break;
      case 'poisson-seeding.json': {
        const arrivals = r.nodes.filter((n) => n.role === 'leecher').map((n) => n.arrivedAt);
        t.true(arrivals.every((a, i) => i === 0 || a >= arrivals[i - 1]) && arrivals[arrivals.length - 1] > 0, 'arrivals spread out');
        // Completed leechers stay as seeds for 60 s: whoever left had seeded that long, and the
        // ones that finished less than 60 s before the end are still online.
        for (const n of r.nodes.filter((x) => x.leftAt !== null)) t.true(n.leftAt! - (n.arrivedAt + n.completedAt!) >= 59.9, `${n.id} seeded before leaving`);
        const recent = r.nodes.filter((n) => n.role === 'leecher' && n.completedAt !== null && r.simSeconds - (n.arrivedAt + n.completedAt) < 59);
        t.true(recent.length > 0);
        t.true(r.samples[r.samples.length - 1].online >= recent.length + s.seeds, 'recently completed leechers are still online, seeding');
        break;
      }
      case 'churn.json':
        t.truthy(s.churn);
        t.regex(trace, /"e":"churn-out"/, 'somebody dropped out and came back');
        break;
      case 'free-riders.json':
        t.true(r.nodes.some((n) => n.freeRider), 'there are free riders');
        t.true(r.nodes.filter((n) => n.freeRider).every((n) => n.uploaded === 0), 'free riders never upload');
        break;
      case 'mixed-strategies.json': {
        const groups = Object.keys(r.summary.byGroup).join(' ');
        t.true(s.mix.length === 3);
        t.regex(groups, /\/(bittyrant|propshare)|random\//, `other strategies ran: ${groups}`);
        break;
      }
    }
  });
}

test('scenarios: maxKnownPeers bounds every node\'s peer pool (a memory knob for big swarms); unset, the engine default holds and the result omits it', (t) => {
  t.throws(() => makeScenario({ maxKnownPeers: 0 }), { message: /maxKnownPeers must be an integer ≥ 1/ });
  t.false('maxKnownPeers' in makeScenario({}), 'unset by default (result.json unchanged)');
  // The largest pool any node held, with and without the knob (30 leechers learn ~30 addresses).
  const largestPool = (maxKnownPeers?: number) => {
    let largest = 0;
    const add = PeerPool.prototype.add;
    PeerPool.prototype.add = function (this: PeerPool, ...args: Parameters<PeerPool['add']>) {
      const n = add.apply(this, args);
      largest = Math.max(largest, this.knownCount);
      return n;
    };
    try {
      const r = runScenario(makeScenario({ peers: 30, fileBytes: 2 * 1024 * 1024, maxSeconds: 300, ...(maxKnownPeers ? { maxKnownPeers } : {}) }));
      t.is(r.summary.completed, 30, 'everyone completes');
      if (maxKnownPeers) t.is(r.scenario.maxKnownPeers, maxKnownPeers);
    } finally {
      PeerPool.prototype.add = add;
    }
    return largest;
  };
  t.true(largestPool() > 8);
  t.true(largestPool(8) <= 8);
});
