/**
 * opentracker (Debian build) in a Lab. That build only tracks allow-listed info hashes
 * (`-w FILE`); any other hash gets "not authorized" over HTTP and a broken 8-byte reply over
 * UDP — so the allow-list is written before start, from the torrents the test made.
 * As root it chroots into `-d DIR` and drops to nobody, so the list's path is relative to DIR.
 */
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import type { Lab } from './lab.js';
import type { Proc } from './proc.js';
import { waitForTcp } from './proc.js';
import { requireTool } from './tools.js';

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
