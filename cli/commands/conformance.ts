import type { CommandModule } from 'yargs';
import { BtLabError } from '../../core/util/errors.js';
import { runSuite } from '../../conformance/runner.js';
import { allCases, selectCases, SUITE_NAMES, type SuiteTargets } from '../../conformance/registry.js';
import { makeSelector } from '../../conformance/glob.js';
import { caseLine, consoleSummary, suiteHeader } from '../../conformance/report/console.js';
import { combine, exitCodeOf } from '../../conformance/report/summary.js';
import { writeReports } from '../../conformance/output.js';
import { btlabBencode, btlabDht, btlabHttpTracker, btlabMetainfo, btlabTrackerServer, btlabUdpTracker, npmBencode } from '../../conformance/targets/btlab-inprocess.js';
import { dhtAt, httpTrackerAt, parseInfoHash, peerAt, torrentFactsFromFile, udpTrackerAt } from '../../conformance/targets/by-address.js';
import { startSelfDht, startSelfPeer, startSelfTracker } from '../../conformance/self/start.js';
import type { RunReport, SuiteName } from '../../conformance/types.js';
import { handler, lastWins } from '../run-command.js';

interface ConformanceArgs {
  target?: string;
  address?: string;
  torrent?: string;
  'info-hash'?: string;
  cases?: string;
  list?: boolean;
  strict?: boolean;
  seed: number;
  json?: string;
  junit?: string;
  html?: string;
  out?: string;
  'reply-timeout': number;
  'unchoke-timeout': number;
  quiet?: boolean;
  debug?: boolean;
}

const TARGETS = ['tracker', 'peer', 'dht', 'bencode', 'metainfo', 'inprocess', 'self'] as const;

/**
 * `bt-lab conformance`: run the BEP conformance suites (conformance/) against a target.
 *   tracker udp://host:port | http://host:port/announce   [--info-hash HEX]
 *   peer host:port --torrent f.torrent
 *   dht host:port
 *   bencode [btlab|npm], metainfo, inprocess   (bt-lab's code in this process)
 *   self   (bt-lab's own tracker, peer and DHT node started on 127.0.0.1; npm run conformance)
 * Exit: 0 ok, 1 a case failed, 3 no case executed (a run that proves nothing is not a pass).
 */
export const conformanceCommand: CommandModule<object, ConformanceArgs> = {
  command: 'conformance [target] [address]',
  describe: 'Run the BEP conformance suites against a tracker, peer, DHT node or bt-lab itself',
  builder: (y) => y
    .positional('target', { type: 'string', choices: TARGETS as unknown as string[], describe: 'What to test' })
    .positional('address', { type: 'string', describe: 'Tracker URL, or host:port of a peer / DHT node; for bencode: btlab or npm' })
    .option('torrent', { type: 'string', describe: 'The .torrent the peer serves (peer target)' })
    .option('info-hash', { type: 'string', describe: 'A hex info hash the tracker accepts (allow-listed trackers)' })
    .option('cases', { type: 'string', describe: "Comma-separated globs over case ids or clauses, e.g. 'BEP15-CONN-*,!BEP15-CONN-4'" })
    .option('list', { type: 'boolean', describe: 'List the cases (of the target\'s suites) without running them' })
    .option('strict', { type: 'boolean', describe: 'SHOULD / MAY violations fail instead of NON-STRICT' })
    .option('seed', { type: 'number', default: 0x5eed, describe: 'Seed for properties and generated traffic (replays a counter-example)' })
    .option('json', { type: 'string', describe: 'Write the JSON report here' })
    .option('junit', { type: 'string', describe: 'Write JUnit XML here' })
    .option('html', { type: 'string', describe: 'Write the HTML page here' })
    .option('out', { type: 'string', coerce: lastWins, describe: 'Folder for conformance.json, junit.xml and conformance.html' })
    .option('reply-timeout', { type: 'number', default: 2000, describe: 'Wait for one reply, ms' })
    .option('unchoke-timeout', { type: 'number', default: 15000, describe: 'Peer: wait for an unchoke after interested, ms' })
    .option('quiet', { type: 'boolean', describe: 'Only the summary' })
    .example("$0 conformance tracker udp://127.0.0.1:6969 --cases 'BEP15-*'", '')
    .example('$0 conformance peer 127.0.0.1:6881 --torrent f.torrent --out report/', '')
    .example('$0 conformance self --out reports/conformance', '') as never,
  handler: handler(async (args: ConformanceArgs) => {
    if (args.list) { list(args); return; }
    if (!args.target) throw new BtLabError('EARG', 'conformance: name a target (tracker, peer, dht, bencode, metainfo, inprocess, self) or use --list');
    const opts = {
      strict: !!args.strict, seed: args.seed, replyTimeoutMs: args['reply-timeout'],
      onResult: args.quiet ? undefined : (r: Parameters<typeof caseLine>[0]) => process.stdout.write(`${caseLine(r)}\n`),
    };
    const reports: RunReport[] = [];
    const run = async <S extends SuiteName>(suite: S, label: string, target: SuiteTargets[S]) => {
      const cases = selectCases(suite, args.cases);
      if (cases.length === 0) return;
      if (!args.quiet) process.stdout.write(`${suiteHeader({ suite, target: label })}\n`);
      reports.push(await runSuite(suite, label, cases, target, opts));
    };
    const cleanup: Array<() => void | Promise<void>> = [];
    try {
      await runTarget(args, run, cleanup);
    } finally {
      for (const c of cleanup.reverse()) await c();
    }
    const result = combine(reports, { strict: !!args.strict, seed: args.seed });
    process.stdout.write(`${consoleSummary(result)}\n`);
    for (const p of writeReports(result, args)) process.stdout.write(`wrote ${p}\n`);
    process.exitCode = exitCodeOf(result);
  }),
};

type RunFn = <S extends SuiteName>(suite: S, label: string, target: SuiteTargets[S]) => Promise<void>;

async function runTarget(args: ConformanceArgs, run: RunFn, cleanup: Array<() => void | Promise<void>>): Promise<void> {
  const addr = args.address;
  const need = (what: string): string => {
    if (!addr) throw new BtLabError('EARG', `conformance ${args.target}: give ${what}`);
    return addr;
  };
  switch (args.target) {
    case 'tracker': {
      const url = need('a tracker URL (udp://host:port or http://host:port/announce)');
      const hash = parseInfoHash(args['info-hash']);
      if (url.startsWith('udp:')) await run('tracker-udp', url, udpTrackerAt(url, hash));
      else await run('tracker-http', url, httpTrackerAt(url, hash));
      return;
    }
    case 'peer': {
      const a = need('host:port');
      if (!args.torrent) throw new BtLabError('EARG', 'conformance peer: --torrent f.torrent is required (the torrent the peer serves)');
      await run('peer', `peer ${a}`, peerAt(a, torrentFactsFromFile(args.torrent), { unchokeTimeoutMs: args['unchoke-timeout'] }));
      return;
    }
    case 'dht':
      await run('dht', `dht ${need('host:port')}`, dhtAt(need('host:port')));
      return;
    case 'bencode': {
      const which = addr ?? 'btlab';
      if (which !== 'btlab' && which !== 'npm') throw new BtLabError('EARG', 'conformance bencode: btlab or npm');
      const t = which === 'npm' ? npmBencode() : btlabBencode();
      await run('bencode', t.name, t);
      return;
    }
    case 'metainfo':
      await run('metainfo', btlabMetainfo().name, btlabMetainfo());
      return;
    case 'inprocess': {
      await run('bencode', btlabBencode().name, btlabBencode());
      await run('metainfo', btlabMetainfo().name, btlabMetainfo());
      const server = btlabTrackerServer(args.seed);
      await run('tracker-udp', btlabUdpTracker(server).label, btlabUdpTracker(server));
      await run('tracker-http', btlabHttpTracker(server).label, btlabHttpTracker(server));
      await run('dht', btlabDht(args.seed).label, btlabDht(args.seed));
      return;
    }
    case 'self': {
      // Codecs in-process; the tracker, the DHT node and the peer over real loopback sockets.
      await run('bencode', btlabBencode().name, btlabBencode());
      await run('metainfo', btlabMetainfo().name, btlabMetainfo());
      const tracker = await startSelfTracker();
      cleanup.push(() => tracker.close());
      await run('tracker-udp', `bt-lab tracker ${tracker.udpUrl}`, udpTrackerAt(tracker.udpUrl));
      await run('tracker-http', `bt-lab tracker ${tracker.httpUrl}`, httpTrackerAt(tracker.httpUrl));
      const dht = await startSelfDht();
      cleanup.push(() => dht.close());
      await run('dht', `bt-lab dht ${dht.address}`, dhtAt(dht.address));
      const peer = await startSelfPeer();
      cleanup.push(() => peer.close());
      await run('peer', peer.target.label, { ...peer.target, unchokeTimeoutMs: args['unchoke-timeout'] });
      return;
    }
    default:
      throw new BtLabError('EARG', `conformance: unknown target ${String(args.target)}`);
  }
}

const SUITES_OF: Record<string, SuiteName[]> = {
  tracker: ['tracker-udp', 'tracker-http'], peer: ['peer'], dht: ['dht'], bencode: ['bencode'], metainfo: ['metainfo'],
  inprocess: ['bencode', 'metainfo', 'tracker-udp', 'tracker-http', 'dht'], self: SUITE_NAMES,
};

function list(args: ConformanceArgs): void {
  let suites = args.target ? SUITES_OF[args.target] : SUITE_NAMES;
  if (args.target === 'tracker' && args.address) suites = [args.address.startsWith('udp:') ? 'tracker-udp' : 'tracker-http'];
  const sel = makeSelector(args.cases);
  const cases = allCases().filter((c) => suites.includes(c.suite) && sel(c));
  for (const c of cases) process.stdout.write(`${c.id.padEnd(40)} ${c.suite.padEnd(12)} ${c.level.padEnd(7)} ${c.style.padEnd(8)} ${c.title}\n`);
  process.stdout.write(`${cases.length} case(s)\n`);
  if (cases.length === 0) process.exitCode = 3;
}
