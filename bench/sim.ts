/**
 * `npm run bench:sim` — scale and speed of `bt-lab sim` with the REAL engine (issue #6):
 * wall time, CPU time, peak RSS, and simulated block deliveries per second for the 200-peer
 * default, 1000 peers × 256 MiB (must complete for every peer: the issue's "1000-node swarm
 * with rarest-first completes" check), and larger swarms as far as they go.
 *
 *   node dist/bench/sim.js [--sizes 200x32,1000x256,2000x256,5000x256,10000x256@30]
 *                          [--budget-min 5] [--timeout-min 30] [--picker rarest|random|…] [--json]
 *
 * Each size runs in its own process (a clean peak-RSS figure, a heap limit of 7.5 GiB, and a
 * hard timeout); the next size is skipped once one took longer than --budget-min. A block
 * delivery is one 16 KiB piece message delivered to a leecher (Σ downloaded / 16 KiB).
 * A size written `PEERSxMIB@S` stops after S simulated seconds (status `partial`): a probe of
 * memory and rate for swarms too big to finish here.
 * Figures are of THIS machine; on a shared, loaded box CPU time is the steadier one.
 */
import { spawnSync } from 'node:child_process';
import { SIM_V8_FLAGS } from '../sim/gc-tuning.js';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../sim/scenario/run.js';
import { makeScenario } from '../sim/scenario/types.js';

interface Row {
  peers: number;
  fileMiB: number;
  picker: string;
  status: 'ok' | 'partial' | 'incomplete' | 'timeout' | 'failed' | 'skipped';
  /** Stopped after this many simulated seconds on purpose (`@S` in the size). */
  simCapS?: number;
  completed?: number;
  leechers?: number;
  simSeconds?: number;
  wallSec?: number;
  cpuSec?: number;
  peakRssMiB?: number;
  events?: number;
  blockDeliveries?: number;
  deliveriesPerWallSec?: number;
  deliveriesPerCpuSec?: number;
  note?: string;
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

/** Child mode: run one size, print one JSON line on stdout, progress on stderr. */
/** `PEERSxMIB` or `PEERSxMIB@SIMSECONDS`. */
function parseSize(spec: string): { peers: number; fileMiB: number; simCapS?: number } {
  const m = /^(\d+)x(\d+)(?:@(\d+))?$/.exec(spec);
  if (!m) throw new Error(`bench:sim: bad size ${spec} (want PEERSxMIB or PEERSxMIB@SIMSECONDS)`);
  return { peers: Number(m[1]), fileMiB: Number(m[2]), simCapS: m[3] === undefined ? undefined : Number(m[3]) };
}

function runOne(spec: string, picker: string): void {
  const { peers, fileMiB, simCapS } = parseSize(spec);
  const s = makeScenario({ peers, fileBytes: fileMiB * 2 ** 20, picker, maxSeconds: simCapS ?? 7200 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let lastPrint = t0;
  const r = runScenario(s, {
    onProgress: (done, total, simSec) => {
      const now = performance.now();
      if (now - lastPrint < 30_000) return;
      lastPrint = now;
      process.stderr.write(`  ${spec}: sim t=${simSec.toFixed(0)} s, ${done}/${total} done, wall ${((now - t0) / 1000).toFixed(0)} s, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB\n`);
    },
  });
  const wallSec = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpuSec = (c.user + c.system) / 1e6;
  const blocks = r.nodes.filter((n) => n.role === 'leecher').reduce((a, n) => a + n.downloaded, 0) / 16384;
  const row: Row = {
    peers, fileMiB, picker, simCapS,
    status: r.summary.completed === r.summary.leechers ? 'ok' : simCapS !== undefined ? 'partial' : 'incomplete',
    completed: r.summary.completed, leechers: r.summary.leechers, simSeconds: r.simSeconds,
    wallSec, cpuSec, peakRssMiB: process.resourceUsage().maxRSS / 1024, events: r.events,
    blockDeliveries: Math.round(blocks), deliveriesPerWallSec: blocks / wallSec, deliveriesPerCpuSec: blocks / cpuSec,
  };
  process.stdout.write(JSON.stringify(row) + '\n');
}

function fmt(r: Row): string {
  const n = (x: number | undefined, d = 0) => (x === undefined ? '-' : x.toFixed(d));
  const k = (x: number | undefined) => (x === undefined ? '-' : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(1)} k`);
  return [
    `${r.peers} × ${r.fileMiB} MiB${r.simCapS !== undefined ? ` @${r.simCapS}s` : ''}`.padEnd(18), r.status.padEnd(10),
    `${n(r.completed)}/${n(r.leechers)}`.padStart(11), n(r.simSeconds, 0).padStart(7),
    n(r.wallSec, 1).padStart(8), n(r.cpuSec, 1).padStart(8), n(r.peakRssMiB, 0).padStart(8),
    k(r.events).padStart(9), k(r.blockDeliveries).padStart(9), k(r.deliveriesPerWallSec).padStart(9), k(r.deliveriesPerCpuSec).padStart(9),
  ].join(' ') + (r.note ? `  ${r.note}` : '');
}

const HEADER = `${'swarm'.padEnd(18)} ${'status'.padEnd(10)} ${'completed'.padStart(11)} ${'sim s'.padStart(7)} ${'wall s'.padStart(8)} ${'cpu s'.padStart(8)} ${'rss MiB'.padStart(8)} ${'events'.padStart(9)} ${'blocks'.padStart(9)} ${'blk/wall'.padStart(9)} ${'blk/cpu'.padStart(9)}`;

function main(): void {
  const picker = arg('picker', 'rarest');
  const one = arg('one', '');
  if (one) { runOne(one, picker); return; }
  const sizes = arg('sizes', '200x32,1000x256,2000x256,5000x256,10000x256@30').split(',');
  const budgetSec = Number(arg('budget-min', '5')) * 60;
  const timeoutMs = Number(arg('timeout-min', '30')) * 60_000;
  const json = process.argv.includes('--json');
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  if (!json) console.log(`bt-lab sim scale (picker ${picker}; node ${process.version}; budget ${budgetSec / 60} min per size)\n${HEADER}`);
  let skip: string | null = null;
  for (const spec of sizes) {
    const { peers, fileMiB } = parseSize(spec);
    let row: Row;
    if (skip !== null) row = { peers, fileMiB, picker, status: 'skipped', note: skip };
    else {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['--max-old-space-size=7680', ...SIM_V8_FLAGS, self, '--one', spec, '--picker', picker], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
      const wall = (performance.now() - t0) / 1000;
      const line = r.stdout?.trim().split('\n').pop() ?? '';
      if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') row = { peers, fileMiB, picker, status: 'timeout', wallSec: wall, note: `killed after ${timeoutMs / 60_000} min` };
      else if (r.status !== 0 || !line.startsWith('{')) row = { peers, fileMiB, picker, status: 'failed', wallSec: wall, note: `exit ${r.status ?? r.signal}` };
      else row = JSON.parse(line) as Row;
      if ((row.status !== 'ok' && row.status !== 'partial') || (row.wallSec ?? 0) > budgetSec) skip = `previous size ${row.status === 'ok' ? `took ${(row.wallSec ?? 0).toFixed(0)} s > ${budgetSec} s` : row.status}`;
    }
    rows.push(row);
    if (!json) console.log(fmt(row));
  }
  if (json) console.log(JSON.stringify(rows));
  const bad = rows.find((r) => r.status === 'incomplete' || r.status === 'failed');
  process.exitCode = bad ? 1 : 0;
}

main();
