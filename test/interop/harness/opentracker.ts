/**
 * opentracker (Debian build) in a Lab. That build only tracks allow-listed info hashes
 * (`-w FILE`); any other hash gets "not authorized" over HTTP and a broken 8-byte reply over
 * UDP — so the allow-list is written before start, from the torrents the test made.
 * As root it chroots into `-d DIR` and drops to nobody, so the list's path is relative to DIR.
 */
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import type { Lab } from './lab.js';
import type { Proc } from './proc.js';
import { runCommand, waitForTcp } from './proc.js';
import { PYTHON, requireTool } from './tools.js';
import bencode from 'bencode';

export interface Tracker {
  proc: Proc;
  ip: string;
  port: number;
  /** http://ip:port/announce */
  httpUrl: string;
  /** udp://ip:port/announce (BEP 15) */
  udpUrl: string;
}

export interface TrackerOptions {
  infohashes: string[];
  ip?: string;
  port?: number;
  timeoutSec?: number;
}

/** Announce URL of the tracker a test will start, needed before the torrent is made. */
export function trackerUrl(ip = '127.0.0.1', port = 6969): string {
  return `http://${ip}:${port}/announce`;
}

export async function startOpentracker(lab: Lab, opts: TrackerOptions): Promise<Tracker> {
  requireTool('opentracker');
  const ip = opts.ip ?? '127.0.0.1';
  const port = opts.port ?? 6969;
  const dir = lab.path('opentracker');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  writeFileSync(`${dir}/whitelist.txt`, opts.infohashes.map((h) => h.toLowerCase()).join('\n') + '\n', { mode: 0o644 });
  const proc = lab.spawn('opentracker', 'opentracker', ['-i', ip, '-p', String(port), '-P', String(port), '-d', dir, '-w', 'whitelist.txt'], {
    timeoutSec: opts.timeoutSec ?? 300,
  });
  try {
    await waitForTcp(lab.ns, ip, port, 10_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${proc.tail()}`);
  }
  return { proc, ip, port, httpUrl: trackerUrl(ip, port), udpUrl: `udp://${ip}:${port}/announce` };
}

export interface ScrapeCounts {
  complete: number;
  incomplete: number;
  downloaded: number;
}

/** One HTTP scrape (the announce URL with "announce" replaced by "scrape"), from inside the
 * namespace. opentracker counts a peer as soon as its first announce arrives. */
export async function scrape(lab: Lab, tracker: Tracker, infohash: string): Promise<ScrapeCounts> {
  const url = tracker.httpUrl.replace(/announce$/, 'scrape');
  const py = [
    'import sys, urllib.request, urllib.parse',
    'u = sys.argv[1] + "?info_hash=" + urllib.parse.quote(bytes.fromhex(sys.argv[2]))',
    'o = urllib.request.build_opener(urllib.request.ProxyHandler({}))',
    'sys.stdout.write(o.open(u, timeout=5).read().hex())',
  ].join('\n');
  const r = await runCommand(PYTHON, ['-c', py, url, infohash], { ns: lab.ns, timeoutMs: 10_000 });
  if (r.code !== 0) throw new Error(`interop: scrape ${url} failed: ${r.stderr}`);
  const reply = bencode.decode(Buffer.from(r.stdout.trim(), 'hex')) as { files?: Record<string, Partial<ScrapeCounts>> };
  const entry = Object.values(reply.files ?? {})[0] ?? {};
  return { complete: Number(entry.complete ?? 0), incomplete: Number(entry.incomplete ?? 0), downloaded: Number(entry.downloaded ?? 0) };
}

/** Polls scrape until the tracker lists at least `seeders` complete peers (and `total` peers
 * overall when given) — so a downloader started next gets them in its first reply. */
export async function waitForSwarm(lab: Lab, tracker: Tracker, infohash: string, want: { seeders?: number; total?: number }, timeoutMs = 20_000): Promise<ScrapeCounts> {
  const deadline = Date.now() + timeoutMs;
  let last: ScrapeCounts = { complete: 0, incomplete: 0, downloaded: 0 };
  for (;;) {
    last = await scrape(lab, tracker, infohash);
    if (last.complete >= (want.seeders ?? 0) && last.complete + last.incomplete >= (want.total ?? 0)) return last;
    if (Date.now() > deadline) throw new Error(`interop: tracker never listed ${JSON.stringify(want)} for ${infohash} (last scrape ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
