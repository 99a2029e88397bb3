/**
 * aria2c 1.36 as a downloader in a Lab. All state (HOME, control files, logs) stays in the
 * temp folder; no DHT, LPD or PEX, so the only peers are the tracker's and --peer's. Notes:
 * aria2 announces over UDP only when its DHT is on (it shares that socket), so give it an
 * http:// tracker; it dials about 1 s after the tracker reply and exits about 2 s after
 * finishing (--seed-time=0). Exit code 0 = every download completed.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Lab } from './lab.js';
import type { Proc } from './proc.js';
import { requireTool } from './tools.js';

export interface Aria2Options {
  torrent: string;
  downloadDir: string;
  /** address its sockets bind to (listen, peer and tracker connections) */
  ip: string;
  port: number;
  seconds?: number;
  /** seed this long after completing, in minutes; 0 = exit at once */
  seedTimeMin?: number;
  /** its own log (<name>-home/aria2.log): debug by default, so a failure can say why a peer
   * was dropped (BTLAB_INTEROP_ARIA2_LOG overrides; benches pass 'notice') */
  logLevel?: string;
  name?: string;
}

export function startAria2(lab: Lab, o: Aria2Options): Proc {
  requireTool('aria2c');
  const home = lab.path(`${o.name ?? 'aria2'}-home`);
  mkdirSync(home, { recursive: true });
  mkdirSync(o.downloadDir, { recursive: true });
  const seconds = o.seconds ?? 120;
  const args = [
    '--no-conf=true',
    `--dir=${o.downloadDir}`,
    '--enable-dht=false',
    '--enable-dht6=false',
    '--bt-enable-lpd=false',
    '--enable-peer-exchange=false',
    `--interface=${o.ip}`,
    `--listen-port=${o.port}`,
    `--seed-time=${o.seedTimeMin ?? 0}`,
    '--file-allocation=none',
    `--bt-stop-timeout=${seconds}`,
    `--stop=${seconds}`,
    '--summary-interval=1',
    '--console-log-level=notice',
    `--log=${home}/aria2.log`,
    `--log-level=${process.env.BTLAB_INTEROP_ARIA2_LOG ?? o.logLevel ?? 'debug'}`,
    '--disable-ipv6=true',
    o.torrent,
  ];
  return lab.spawn(o.name ?? 'aria2', 'aria2c', args, { timeoutSec: seconds + 15, env: { HOME: home } });
}

/** The lines of aria2's own log that explain a stalled download (dropped or banned peers,
 * exceptions, the mid-connection bitfield it sends), for failure messages. */
export function aria2Highlights(lab: Lab, name = 'aria2', max = 20): string {
  let text = '';
  try {
    text = readFileSync(lab.path(`${name}-home`, 'aria2.log'), 'utf8');
  } catch {
    return '(no aria2.log)';
  }
  const lines = text.split('\n');
  const picked: string[] = [];
  lines.forEach((l, i) => {
    if (/Exception:|banned|To: \S+ bitfield|Download complete/.test(l)) {
      // an "Exception:" line follows the line that says which connection it belongs to
      if (l.startsWith('Exception:') && i > 0) picked.push(lines[i - 1] as string);
      picked.push(l);
    }
  });
  return `--- ${name} log highlights ---\n${picked.slice(-max).join('\n')}`;
}
