/**
 * Loopback benchmark: one torrent (default 1 GiB, one file) from a libtorrent 2.0.8 seeder in a
 * private network namespace, downloaded in turn by libtorrent, aria2 and bt-lab. For each:
 * wall time from process start to "download complete" as the harness sees it (libtorrent's
 * `finished` event, aria2's "Download complete" notice, bt-lab's `complete` JSON line; polled
 * every 50 ms), payload MiB/s over that time, ratio to libtorrent, and peak RSS
 * (/usr/bin/time -v, or the VmHWM of the process when `time` is not installed). Every result
 * is checked with SHA-256 before it is reported. libtorrent 2.0 does its disk I/O through mmap,
 * so its RSS counts the mapped file pages (≈ the torrent's size), not heap.
 *
 *   npm run bench:loopback -- [--size-mib 1024] [--piece-kib 1024] [--clients lt,aria2,btlab]
 *                             [--runs 1] [--json] [--btlab-args "--hash-workers 1"]
 *
 * TCP only (libtorrent's uTP crawls on loopback with default UDP buffers); libtorrent and bt-lab
 * get the seeder by --peer, aria2 (which has no such option) through opentracker. Needs root
 * (namespaces) and the Debian packages .ci/setup installs. Numbers from a shared 2-core VM are
 * noisy: use --runs 3 and read the median.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  Lab,
  writeSeededFile,
  makeTorrent,
  sha256File,
  startOpentracker,
  trackerUrl,
  startLtPeer,
  startAria2,
  BTLAB_CLI,
  PEERS_DIR,
  PYTHON,
  requireTool,
  type Proc,
} from '../test/interop/harness/index.js';

type Client = 'lt' | 'aria2' | 'btlab';
const LABEL: Record<Client, string> = { lt: 'libtorrent 2.0.8', aria2: 'aria2 1.36', btlab: 'bt-lab' };

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}

/** Extra `bt-lab download` flags, to compare settings in one session (e.g. "--hash-workers 1"). */
const BTLAB_ARGS = arg('btlab-args', '').split(' ').filter(Boolean);

const sizeMiB = Number(arg('size-mib', '1024'));
const pieceKiB = Number(arg('piece-kib', sizeMiB > 512 ? '1024' : '256'));
const clients = arg('clients', 'lt,aria2,btlab').split(',') as Client[];
const runs = Number(arg('runs', '1'));
const asJson = process.argv.includes('--json');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface Result {
  client: Client;
  run: number;
  ok: boolean;
  seconds?: number;
  peakRssMiB?: number;
  error?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The command's own pid (child of `timeout`, or of `time` under it), for VmHWM polling. */
function leafPid(pid: number): number {
  for (let p = pid, depth = 0; depth < 4; depth++) {
    let kids: string[] = [];
    try {
      kids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return p;
    }
    if (kids.length === 0) return p;
    p = Number(kids[0]);
    if (depth === 3) return p;
  }
  return pid;
}

function vmHwmMiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Waits for `done` while sampling peak RSS; returns seconds since the process started. */
async function measure(proc: Proc, done: () => boolean, timeoutMs: number): Promise<{ seconds: number; hwm?: number }> {
  let hwm: number | undefined;
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (proc.exitStatus && !done()) throw new Error(`${proc.name} exited (${JSON.stringify(proc.exitStatus)}) before completing\n${proc.tail(10)}`);
    if (Date.now() > deadline) throw new Error(`${proc.name} did not complete within ${timeoutMs} ms\n${proc.tail(10)}`);
    const h = vmHwmMiB(leafPid(proc.pid));
    if (h !== undefined) hwm = Math.max(hwm ?? 0, h);
    await sleep(50);
  }
  const seconds = (Date.now() - proc.startedAt) / 1000;
  const h = vmHwmMiB(leafPid(proc.pid));
  if (h !== undefined) hwm = Math.max(hwm ?? 0, h);
  return hwm === undefined ? { seconds } : { seconds, hwm };
}

/** "Maximum resident set size (kbytes): N" from /usr/bin/time -v, once the process exited. */
async function timeRss(proc: Proc): Promise<number | undefined> {
  if (!TIME) return undefined;
  await proc.waitExit(30_000);
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(proc.stderr());
  return m ? Number(m[1]) / 1024 : undefined;
}

async function main(): Promise<void> {
  requireTool('netns', 'libtorrent', 'opentracker');
  if (clients.includes('aria2')) requireTool('aria2c');
  const lab = new Lab({ label: 'bench-loopback' });
  const onSignal = () => void lab.close(1000).then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results: Result[] = [];
  try {
    const file = lab.path('seed', 'payload.bin');
    let t0 = Date.now();
    writeSeededFile(file, sizeMiB * 2 ** 20, `loopback-${sizeMiB}`);
    const want = await sha256File(file);
    const tor = await makeTorrent(file, lab.path('payload.torrent'), { pieceSize: pieceKiB * 1024, trackers: [trackerUrl()] });
    log(`data: ${sizeMiB} MiB, ${tor.pieces} pieces of ${pieceKiB} KiB, made and hashed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await startOpentracker(lab, { infohashes: [tor.infohash], timeoutSec: 3600 });
    t0 = Date.now();
    // the seeder listens on the tracker's address so aria2 gets a dialable entry
    const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '127.0.0.1:6881', seed: true, seconds: 3500, name: 'lt-seed', blockAlerts: false });
    await seeder.seeding(600_000);
    log(`seeder ready (hash check of its data) after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const limitMs = Math.max(120_000, sizeMiB * 1000);
    for (let run = 1; run <= runs; run++) {
      // Rotate the order each run: a client that always goes last downloads while the page
      // cache is still flushing the previous clients' gigabytes, which cost bt-lab ~1 s here.
      const order = clients.map((_, i) => clients[(i + run - 1) % clients.length]);
      for (const client of order) {
        const dir = lab.path(`dl-${client}-${run}`);
        const r: Result = { client, run, ok: false };
        try {
          let proc: Proc;
          let done: () => boolean;
          if (client === 'lt') {
            const args = [`${PEERS_DIR}/lt_peer.py`, '--torrent', tor.path, '--save-dir', dir, '--listen', '127.0.0.3:6882', '--peer', '127.0.0.1:6881', '--no-trackers', '--no-block-alerts', '--seconds', String(limitMs / 1000)];
            proc = spawnMeasured(lab, `lt-${run}`, PYTHON, ['-u', ...args], limitMs);
            done = () => proc.jsonLines().some((e) => e.event === 'finished');
          } else if (client === 'aria2') {
            proc = startAria2(lab, { torrent: tor.path, downloadDir: dir, ip: '127.0.0.4', port: 6891, seconds: limitMs / 1000, name: `aria2-${run}`, logLevel: 'notice' });
            done = () => /Download complete/.test(proc.stdout());
          } else {
            requireTool('bt-lab');
            const args = [BTLAB_CLI, 'download', tor.path, '-o', dir, '--peer', '127.0.0.1:6881', '--bind', '127.0.0.5', '--port', '7001', '--json', ...BTLAB_ARGS];
            proc = spawnMeasured(lab, `btlab-${run}`, process.execPath, args, limitMs);
            done = () => proc.jsonLines().some((e) => e.event === 'complete');
          }
          const m = await measure(proc, done, limitMs);
          r.seconds = m.seconds;
          const rss = client === 'aria2' ? m.hwm : ((await timeRss(proc)) ?? m.hwm);
          if (rss !== undefined) r.peakRssMiB = rss;
          await proc.waitExit(30_000);
          const got = join(dir, 'payload.bin');
          if (!existsSync(got) || statSync(got).size !== sizeMiB * 2 ** 20 || (await sha256File(got)) !== want) throw new Error('SHA-256 of the downloaded file differs');
          r.ok = true;
          log(`${LABEL[client]} run ${run}: ${r.seconds.toFixed(2)} s${r.peakRssMiB ? `, peak RSS ${r.peakRssMiB.toFixed(0)} MiB` : ''}`);
        } catch (e) {
          r.error = String((e as Error).message).split('\n')[0];
          log(`${LABEL[client]} run ${run}: FAILED: ${(e as Error).message}`);
        }
        results.push(r);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await lab.close();
  }
  report(results);
  process.exit(results.some((r) => r.client === 'lt' && r.ok) ? 0 : 1);
}

/** Spawns under /usr/bin/time -v when available (peak RSS from the kernel's rusage). */
function spawnMeasured(lab: Lab, name: string, cmd: string, args: string[], limitMs: number): Proc {
  const [c, a] = TIME ? [TIME, ['-v', cmd, ...args]] : [cmd, args];
  return lab.spawn(name, c, a, { timeoutSec: Math.ceil(limitMs / 1000) + 15 });
}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function report(results: Result[]): void {
  const rows = clients.map((client) => {
    const ok = results.filter((r) => r.client === client && r.ok);
    const failed = results.filter((r) => r.client === client && !r.ok);
    return {
      client,
      runs: `${ok.length}/${ok.length + failed.length}`,
      seconds: median(ok.map((r) => r.seconds as number)),
      rss: median(ok.filter((r) => r.peakRssMiB !== undefined).map((r) => r.peakRssMiB as number)),
      error: failed[0]?.error,
    };
  });
  const base = rows.find((r) => r.client === 'lt')?.seconds;
  if (asJson) {
    console.log(JSON.stringify({ sizeMiB, pieceKiB, runs, results, median: rows }, null, 2));
    return;
  }
  const fmt = (v: number | undefined, d: number) => (v === undefined ? '—' : v.toFixed(d));
  console.log(`\nLoopback download of ${sizeMiB} MiB (${pieceKiB} KiB pieces) from a libtorrent seeder, process start → complete, median of ${runs} run(s)`);
  console.log(['client'.padEnd(18), 'ok'.padStart(5), 'seconds'.padStart(9), 'MiB/s'.padStart(8), '× lt time'.padStart(10), 'peak RSS MiB'.padStart(13)].join(' '));
  for (const r of rows) {
    const mibs = r.seconds ? sizeMiB / r.seconds : undefined;
    const ratio = r.seconds && base ? r.seconds / base : undefined;
    console.log(
      [LABEL[r.client].padEnd(18), r.runs.padStart(5), fmt(r.seconds, 2).padStart(9), fmt(mibs, 0).padStart(8), fmt(ratio, 2).padStart(10), fmt(r.rss, 0).padStart(13)].join(' ') +
        (r.error && r.seconds === undefined ? `   (${r.error.slice(0, 80)})` : ''),
    );
  }
}

function log(s: string): void {
  if (!asJson) console.error(`[loopback] ${s}`);
}

await main();
