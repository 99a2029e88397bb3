import { onStopSignal, type StopSignal } from '../signals.js';
import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { TrackerServer, parseAllowList, type TrackerStats } from '../../core/tracker/server/tracker-server.js';
import { serveTracker, type RunningTracker } from '../../core/tracker/server/serve.js';
import { BtLabError } from '../../core/util/errors.js';
import { createNodeHttpNet } from '../../host/net/http.js';
import { createNodeUdpNet } from '../../host/net/udp.js';
import { realClock, realRandom } from '../../host/time.js';
import { handler } from '../run-command.js';

interface TrackerArgs {
  http?: number;
  udp?: number;
  host?: string;
  allow?: string;
  interval: number;
  'min-interval'?: number;
  'max-peers': number;
  'rate-limit': number;
  'stats-every': number;
  debug?: boolean;
}

/**
 * `bt-lab tracker`: bt-lab's tracker server (core/tracker/server) behind real sockets. HTTP
 * (BEP 3/23/7) and UDP (BEP 15); with neither --http nor --udp, both on 6969. Prints a stats
 * line every --stats-every seconds; SIGHUP re-reads --allow; SIGINT/SIGTERM stop cleanly.
 */
export const trackerCommand: CommandModule<object, TrackerArgs> = {
  command: 'tracker',
  describe: 'Run bt-lab\'s BitTorrent tracker (HTTP and/or UDP)',
  builder: (y) => y
    .option('http', { type: 'number', describe: 'HTTP port (announce + scrape)' })
    .option('udp', { type: 'number', describe: 'UDP port (BEP 15)' })
    .option('host', { type: 'string', describe: 'Bind address (default: all interfaces)' })
    .option('allow', { type: 'string', describe: 'Allow-list file: one hex info hash per line (SIGHUP re-reads it)' })
    .option('interval', { type: 'number', default: 1800, describe: 'Re-announce interval given to clients, seconds' })
    .option('min-interval', { type: 'number', describe: 'Minimum re-announce interval, seconds (default: interval / 2)' })
    .option('max-peers', { type: 'number', default: 10_000, describe: 'Peers kept per torrent' })
    .option('rate-limit', { type: 'number', default: 0, describe: 'Requests per address per minute (0 = no limit)' })
    .option('stats-every', { type: 'number', default: 10, describe: 'Seconds between stats lines (0 = only at exit)' })
    .example('$0 tracker --http 6969 --udp 6969 --allow hashes.txt', '') as never,
  handler: handler(async (args: TrackerArgs) => {
    const both = args.http === undefined && args.udp === undefined;
    const httpPort = both ? 6969 : args.http;
    const udpPort = both ? 6969 : args.udp;
    const readAllow = () => (args.allow ? parseAllowList(readAllowFile(args.allow)) : null);
    const random = realRandom();
    const server = new TrackerServer({
      clock: realClock, random, intervalS: args.interval, minIntervalS: args['min-interval'],
      maxPeersPerTorrent: args['max-peers'], allow: readAllow(),
      rateLimit: args['rate-limit'] > 0 ? { windowMs: 60_000, max: args['rate-limit'] } : undefined,
    });
    const running = await new Promise<RunningTracker>((resolve, reject) => serveTracker(server, {
      http: httpPort !== undefined ? { net: createNodeHttpNet({ bindHost: args.host }), port: httpPort } : undefined,
      udp: udpPort !== undefined ? { net: createNodeUdpNet({ bufferBytes: 4 << 20 }), port: udpPort, host: args.host } : undefined,
    }, (err, r) => (err ? reject(new BtLabError('ELISTEN', `tracker: cannot listen: ${err.message}`)) : resolve(r!))));
    const where = args.host ?? '*';
    process.stdout.write(`bt-lab tracker: ${[
      running.httpPort !== undefined ? `http ${where}:${running.httpPort}` : '',
      running.udpPort !== undefined ? `udp ${where}:${running.udpPort}` : '',
    ].filter(Boolean).join(', ')}, interval ${server.intervalS}s${args.allow ? `, allow-list ${args.allow}` : ''}\n`);

    const t0 = realClock.now();
    let prev = server.stats(), prevT = t0;
    const line = () => {
      const s = server.stats(), now = realClock.now();
      process.stdout.write(`${statsLine(s, prev, (now - prevT) / 1000)} up=${Math.round((now - t0) / 1000)}s\n`);
      prev = s; prevT = now;
    };
    const ticker = args['stats-every'] > 0 ? setInterval(line, args['stats-every'] * 1000) : undefined;
    const onHup = () => {
      try { server.setAllowList(readAllow()); process.stdout.write('bt-lab tracker: allow-list reloaded\n'); } catch (e) { process.stderr.write(`bt-lab tracker: ${(e as Error).message}\n`); }
    };
    if (args.allow) process.on('SIGHUP', onHup);
    const sig = await new Promise<StopSignal>((resolve) => { const off = onStopSignal((s) => { off(); resolve(s); }); });
    process.off('SIGHUP', onHup);
    if (ticker) clearInterval(ticker);
    running.close();
    line();
    process.stdout.write(`bt-lab tracker: stopped (${sig})\n`);
  }),
};

function readAllowFile(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch (e) {
    throw new BtLabError('EALLOW', `tracker: cannot read allow-list ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** One line: totals and per-second rates since the previous line. */
export function statsLine(s: TrackerStats, prev: TrackerStats, dtS: number): string {
  const rate = (a: number, b: number) => (dtS > 0 ? ((a - b) / dtS).toFixed(1) : '0');
  return `announces=${s.announces} (${rate(s.announces, prev.announces)}/s) scrapes=${s.scrapes} connects=${s.connects} rejected=${s.rejected} ` +
    `torrents=${s.torrents} peers=${s.peers} seeders=${s.seeders} leechers=${s.leechers}`;
}
