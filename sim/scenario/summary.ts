import { jainIndex, summarize, type Summary } from '../stats.js';
import type { NodeResult } from './run.js';
import type { Scenario } from './types.js';

export interface RunSummary {
  leechers: number;
  completed: number;
  /** Download times of the leechers that finished, seconds from arrival (percentiles in sim/stats.ts). */
  completion: Summary;
  /** Mean over leechers of uploaded / (uplink capacity × time online): how much of the swarm's upload capacity was used. */
  uploadUtilisation: number;
  /** Bytes the initial seeds uploaded, in copies of the file. */
  seederCopies: number;
  /** Share ratio uploaded/downloaded per leecher that downloaded something. */
  shareRatio: Summary;
  /** Jain's fairness index over share ratios (1 = everyone gave as much as they took). */
  fairness: number;
  /** Download times per group (bandwidth class, strategy) — for mixed swarms. */
  byGroup: Record<string, { n: number; completed: number; p50: number; meanShare: number }>;
}

const r6 = (x: number) => (Number.isFinite(x) ? Number(x.toFixed(6)) : x);
const round = (s: Summary): Summary => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, r6(v)])) as unknown as Summary;

export function summarizeRun(s: Scenario, nodes: NodeResult[], _simSeconds: number): RunSummary {
  const leechers = nodes.filter((n) => n.role === 'leecher');
  const done = leechers.filter((n) => n.completedAt !== null);
  const util = leechers.filter((n) => n.onlineSec > 0).map((n) => n.uploaded / (n.upBps * n.onlineSec));
  const shares = leechers.filter((n) => n.downloaded > 0).map((n) => n.uploaded / n.downloaded);
  const seedUp = nodes.filter((n) => n.role === 'seed').reduce((a, n) => a + n.uploaded, 0);
  const groups: RunSummary['byGroup'] = {};
  const keyOf = (n: NodeResult) => [n.class, n.freeRider ? 'freerider' : `${n.picker}/${n.choker}`].join(' ');
  for (const n of leechers) {
    const k = keyOf(n);
    (groups[k] ??= { n: 0, completed: 0, p50: 0, meanShare: 0 }).n++;
  }
  for (const k of Object.keys(groups).sort()) {
    const members = leechers.filter((n) => keyOf(n) === k);
    const times = members.filter((n) => n.completedAt !== null).map((n) => n.completedAt!);
    const g = groups[k];
    g.completed = times.length;
    g.p50 = r6(summarize(times).p50);
    const sh = members.filter((n) => n.downloaded > 0).map((n) => n.uploaded / n.downloaded);
    g.meanShare = r6(sh.length ? sh.reduce((a, b) => a + b, 0) / sh.length : NaN);
  }
  const sortedGroups = Object.fromEntries(Object.keys(groups).sort().map((k) => [k, groups[k]]));
  return {
    leechers: leechers.length,
    completed: done.length,
    completion: round(summarize(done.map((n) => n.completedAt!))),
    uploadUtilisation: r6(util.length ? util.reduce((a, b) => a + b, 0) / util.length : 0),
    seederCopies: r6(seedUp / s.fileBytes),
    shareRatio: round(summarize(shares)),
    fairness: r6(shares.length ? jainIndex(shares) : NaN),
    byGroup: sortedGroups,
  };
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');

/** The readable summary `bt-lab sim` prints. */
export function formatSummary(s: Scenario, sum: RunSummary, simSeconds: number, wallSec?: number, events?: number): string {
  const c = sum.completion;
  const lines = [
    `swarm: ${s.peers} leechers + ${s.seeds} seed(s), ${(s.fileBytes / 2 ** 20).toFixed(1)} MiB in ${Math.ceil(s.fileBytes / s.pieceLength)} pieces, picker ${s.picker}, choker ${s.choker}, seed ${s.seed}`,
    `completed: ${sum.completed}/${sum.leechers} leechers in ${f(simSeconds)} simulated s${wallSec !== undefined ? ` (${f(wallSec, 2)} s wall, ${events} events)` : ''}`,
    `completion time (s): p10 ${f(c.p10)}  p50 ${f(c.p50)}  p90 ${f(c.p90)}  p99 ${f(c.p99)}  max ${f(c.max)}`,
    `upload utilisation: ${f(sum.uploadUtilisation * 100)} % of leechers' uplink capacity`,
    `seeder load: ${f(sum.seederCopies, 2)} copies of the file uploaded by the seed(s)`,
    `share ratio: p10 ${f(sum.shareRatio.p10, 2)}  p50 ${f(sum.shareRatio.p50, 2)}  p90 ${f(sum.shareRatio.p90, 2)}   fairness (Jain) ${f(sum.fairness, 3)}`,
  ];
  const groups = Object.entries(sum.byGroup);
  if (groups.length > 1) {
    lines.push('by group:');
    for (const [k, g] of groups) lines.push(`  ${k.padEnd(32)} n ${String(g.n).padStart(4)}  done ${String(g.completed).padStart(4)}  p50 ${f(g.p50).padStart(7)} s  share ${f(g.meanShare, 2)}`);
  }
  return lines.join('\n');
}
