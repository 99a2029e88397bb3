import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseMetainfo } from '../core/metainfo/index.js';
import type { Metainfo } from '../core/metainfo/types.js';
import { Client } from '../core/client/client.js';
import type { Torrent } from '../core/torrent/torrent.js';
import type { Address } from '../core/seam/net.js';
import { parseHostPort } from '../core/util/address.js';
import { addressKey } from '../core/seam/net.js';
import { BtLabError } from '../core/util/errors.js';
import { createNodeHost, stderrLogger, type NodeHost } from '../host/node-host.js';
import { builtinSources, parsePluginOptions, resolveChoker, resolvePicker } from '../plugins/registry.js';
import { dhtSource, DEFAULT_DHT_ROUTERS } from '../plugins/sources/dht.js';
import { closeDhtService, ensureDhtService } from '../core/dht/service.js';
import { parseMagnet, type Magnet } from '../core/magnet/index.js';
import { MagnetDownload } from '../core/torrent/magnet.js';
import type { TorrentInfo } from '../core/metainfo/types.js';
import type { TorrentStats } from '../core/torrent/torrent.js';
import { ProgressPrinter } from './progress.js';
import { catchStopSignals, onStopSignal } from './signals.js';
import { loadDhtState, saveDhtState } from './dht-state.js';

/** Options shared by `download` and `seed`. */
export interface TransferArgs {
  peer?: string[];
  port: number;
  bind?: string;
  json: boolean;
  picker: string;
  choker: string;
  'picker-opt'?: string[];
  'choker-opt'?: string[];
  'max-peers': number;
  verbose: boolean;
  'hash-workers'?: number;
  debug?: boolean;
  dht?: boolean;
  'dht-port': number;
  'dht-bootstrap': string;
  'dht-state'?: string;
}

export const transferOptions = {
  peer: { type: 'string', array: true, describe: 'Connect to this peer (host:port, repeatable)' },
  port: { type: 'number', default: 6881, describe: 'Peer-wire listen port (0 = any free port)' },
  bind: { type: 'string', describe: 'Listen address (default: all interfaces)' },
  json: { type: 'boolean', default: false, describe: 'Progress as JSON lines on stdout' },
  picker: { type: 'string', default: 'rarest', describe: 'Piece picker plugin (name or module path)' },
  choker: { type: 'string', default: 'reference', describe: 'Choker plugin (name or module path)' },
  'picker-opt': { type: 'string', array: true, describe: 'Picker option key=value (repeatable)' },
  'choker-opt': { type: 'string', array: true, describe: 'Choker option key=value (repeatable)' },
  'max-peers': { type: 'number', default: 60, describe: 'Connected peers at most' },
  verbose: { type: 'boolean', default: false, describe: 'Log engine events to stderr' },
  'hash-workers': { type: 'number', describe: 'SHA-1 worker threads (default: min(2, cores))' },
  dht: { type: 'boolean', describe: 'Use the DHT for peers (default: on for magnet links, off for .torrent files)' },
  'dht-port': { type: 'number', default: 0, describe: 'UDP port of the DHT node (0 = any)' },
  'dht-bootstrap': { type: 'string', default: DEFAULT_DHT_ROUTERS, describe: 'Comma-separated DHT contacts (host:port)' },
  'dht-state': { type: 'string', describe: 'File keeping the DHT node id and contacts across runs [<folder>/.bt-lab-dht.json]; "" = none' },
} as const;

export function readTorrentFile(path: string): Metainfo {
  let buf: Uint8Array;
  try { buf = readFileSync(path); } catch (e) {
    throw new BtLabError('ENOENT', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseMetainfo(buf, { strict: false });
}

/** What the CLI drives: a torrent, or a magnet download that becomes one. */
export interface Transferable {
  stats(): TorrentStats;
  addPeers: Torrent['addPeers'];
}

export interface RunningTransfer {
  host: NodeHost;
  client: Client;
  torrent: Transferable;
  printer: ProgressPrinter;
  port: number;
  /** Stop everything (trackers get `stopped`) and resolve when done, bounded in time. */
  shutdown(): Promise<void>;
}

/** A .torrent's metainfo, or a magnet link (metadata fetched from peers first). */
export type TransferTarget = { meta: Metainfo } | { magnet: Magnet };

/** Parse the positional argument of `download`: a magnet link or a .torrent path. */
export function readTarget(arg: string): TransferTarget {
  return arg.startsWith('magnet:') ? { magnet: parseMagnet(arg) } : { meta: readTorrentFile(arg) };
}

/** Build host, client and torrent from CLI options and start them. */
export async function startTransfer(target: TransferTarget, dataDir: string, args: TransferArgs, hooks: { complete?: () => void; metadata?: (info: TorrentInfo) => void } = {}): Promise<RunningTransfer> {
  catchStopSignals(); // from here on, Ctrl-C / SIGTERM means an orderly stop, even mid-start
  const log = stderrLogger(args.verbose ? 'debug' : 'warn');
  const host = createNodeHost({ dir: dataDir, log, bind: args.bind, hashWorkers: args['hash-workers'] });
  const client = new Client(host);
  const port = await new Promise<number>((res, rej) => client.listen(args.port, (err, p) => (err ? rej(new BtLabError('ELISTEN', `cannot listen on port ${args.port}: ${err.message}`)) : res(p!))));
  const [pickerPlugin, chokerPlugin] = await Promise.all([resolvePicker(args.picker), resolveChoker(args.choker)]);
  const printer = ProgressPrinter.forStdout(args.json);
  printer.raw({ event: 'listening', port }, `listening on port ${port}`);
  const peers: Address[] = [...(args.peer ?? []).map(parseHostPort), ...('magnet' in target ? target.magnet.peers : [])];
  const self = ['127.0.0.1', 'localhost', args.bind].filter(Boolean).map((h) => addressKey({ host: h!, port }));
  // DHT: on for magnet links (BEP9-MAG-6) and for trackerless torrents that name DHT nodes
  // (BEP5-TOR-1), opt-in for other .torrent files; never for private torrents (BEP 27).
  const trackerless = 'meta' in target && target.meta.announceList.length === 0 && target.meta.nodes.length > 0;
  const useDht = args.dht ?? ('magnet' in target || trackerless);
  const dhtStatePath = args['dht-state'] === undefined ? join(dataDir, '.bt-lab-dht.json') : args['dht-state'] || null;
  let dhtSvc: ReturnType<typeof ensureDhtService> | undefined;
  const sources = builtinSources.filter((s) => s.name !== 'source:static' && s.name !== 'source:dht').map((plugin) => ({ plugin, options: {} as Record<string, string | number | boolean> }));
  let dhtPort: number | undefined;
  let onDhtNode: ((a: Address) => void) | undefined;
  if (useDht) {
    // One DHT node for the process: created here so its port can go in our handshakes (BEP5-PORT).
    const bootstrap = [
      ...args['dht-bootstrap'].split(',').map((x) => x.trim()).filter(Boolean).map(parseHostPort),
      ...('meta' in target ? target.meta.nodes : []), // the torrent's own `nodes` (BEP5-TOR-1)
    ];
    const table = dhtStatePath ? loadDhtState(dhtStatePath, (msg) => log.log('warn', msg)) : undefined;
    const svc = ensureDhtService(host, { port: args['dht-port'], bootstrap, bindHost: args.bind, table });
    dhtSvc = svc;
    await new Promise<void>((res, rej) => svc.whenReady((err) => (err ? rej(new BtLabError('EDHT', `cannot start the DHT: ${err.message}`)) : res())));
    dhtPort = svc.port;
    onDhtNode = (a) => svc.node?.addNode(a);
    sources.push({ plugin: dhtSource, options: { port: args['dht-port'], bootstrap: args['dht-bootstrap'] } });
  }
  let rejectError!: (e: Error) => void;
  const errorSeen = new Promise<never>((_, rej) => { rejectError = rej; });
  errorSeen.catch(() => {});
  const common = {
    picker: pickerPlugin.create(parsePluginOptions(args['picker-opt'])),
    choker: chokerPlugin.create(parsePluginOptions(args['choker-opt'])),
    sources,
    initialPeers: peers,
    selfAddresses: self,
    config: { maxPeers: args['max-peers'] },
    dhtPort,
    onDhtNode,
    events: {
      complete: () => hooks.complete?.(),
      checked: (have: number, of: number, haveBytes: number) => printer.raw({ event: 'checked', have, of, haveBytes }, `checked data on disk: ${have}/${of} pieces verified`),
      peerBanned: (addr: Address, reason: string) => printer.raw({ event: 'banned', peer: addressKey(addr), reason }, `banned ${addressKey(addr)}: ${reason}`),
      error: (err: Error) => rejectError(err),
    },
  };
  let torrent: Transferable;
  if ('meta' in target) {
    const t = client.add({ ...common, info: target.meta.info, trackers: target.meta.announceList });
    t.start();
    torrent = t;
  } else {
    const m: MagnetDownload = client.addMagnet({
      ...common,
      infoHash: target.magnet.infoHash,
      trackers: target.magnet.trackers.map((u) => [u]),
      onMetadata: (info) => {
        printer.raw({ event: 'metadata', name: info.name, pieces: info.pieceCount, bytes: info.totalLength }, `metadata: ${info.name} (${info.pieceCount} pieces)`);
        hooks.metadata?.(info);
      },
    });
    m.start();
    torrent = m;
  }
  const shutdown = () => new Promise<void>((res) => {
    const guard = setTimeout(res, 5000);
    client.close(() => { clearTimeout(guard); res(); });
  }).then(() => {
    const node = dhtSvc?.node;
    if (node && dhtStatePath) {
      try { saveDhtState(dhtStatePath, node.save()); } catch (e) { log.log('warn', `cannot save DHT state ${dhtStatePath}: ${(e as Error).message}`); }
    }
    closeDhtService(host);
    return host.destroy();
  });
  // Surface a storage error (e.g. permission denied) as a command failure.
  await Promise.race([errorSeen, new Promise((r) => setTimeout(r, 0))]);
  return { host, client, torrent, printer, port, shutdown, errorSeen } as RunningTransfer & { errorSeen: Promise<never> };
}

/** Resolve `seed <torrent> <data path>` to the storage folder: the path itself names the torrent's content, or contains it. */
export function seedDataDir(meta: Metainfo, dataPath: string): string {
  const p = resolve(dataPath);
  return basename(p) === meta.info.name ? dirname(p) : p;
}

/** Run until `stopWhen` resolves or SIGINT/SIGTERM; print progress each second. */
export async function runUntil(t: RunningTransfer & { errorSeen?: Promise<never> }, stopWhen: Promise<'complete' | 'signal'>): Promise<'complete' | 'signal'> {
  const tick = setInterval(() => t.printer.tick(t.torrent.stats(), performance.now()), 1000);
  let unsubscribe: () => void = () => {};
  // A signal that came while the transfer was starting counts too (catchStopSignals, called
  // by the command first); repeated ones while we announce `stopped` and flush are absorbed.
  const signalled = new Promise<'signal'>((res) => { unsubscribe = onStopSignal(() => res('signal')); });
  try {
    return await Promise.race([stopWhen, signalled, t.errorSeen ?? new Promise<never>(() => {})]);
  } finally {
    clearInterval(tick);
    unsubscribe();
    t.printer.end();
  }
}
