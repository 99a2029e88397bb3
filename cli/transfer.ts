import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
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
import { ProgressPrinter } from './progress.js';

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
  debug?: boolean;
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
} as const;

export function readTorrentFile(path: string): Metainfo {
  let buf: Uint8Array;
  try { buf = readFileSync(path); } catch (e) {
    throw new BtLabError('ENOENT', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseMetainfo(buf, { strict: false });
}

export interface RunningTransfer {
  host: NodeHost;
  client: Client;
  torrent: Torrent;
  printer: ProgressPrinter;
  port: number;
  /** Stop everything (trackers get `stopped`) and resolve when done, bounded in time. */
  shutdown(): Promise<void>;
}

/** Build host, client and torrent from CLI options and start them. */
export async function startTransfer(meta: Metainfo, dataDir: string, args: TransferArgs, hooks: { complete?: () => void } = {}): Promise<RunningTransfer> {
  const log = stderrLogger(args.verbose ? 'debug' : 'warn');
  const host = createNodeHost({ dir: dataDir, log, bind: args.bind });
  const client = new Client(host);
  const port = await new Promise<number>((res, rej) => client.listen(args.port, (err, p) => (err ? rej(new BtLabError('ELISTEN', `cannot listen on port ${args.port}: ${err.message}`)) : res(p!))));
  const [pickerPlugin, chokerPlugin] = await Promise.all([resolvePicker(args.picker), resolveChoker(args.choker)]);
  const printer = ProgressPrinter.forStdout(args.json);
  printer.raw({ event: 'listening', port }, `listening on port ${port}`);
  const peers: Address[] = (args.peer ?? []).map(parseHostPort);
  const self = ['127.0.0.1', 'localhost', args.bind].filter(Boolean).map((h) => addressKey({ host: h!, port }));
  let torrent!: Torrent;
  const errorSeen = new Promise<never>((_, rej) => {
    torrent = client.add({
      info: meta.info,
      picker: pickerPlugin.create(parsePluginOptions(args['picker-opt'])),
      choker: chokerPlugin.create(parsePluginOptions(args['choker-opt'])),
      sources: builtinSources.filter((s) => s.name !== 'source:static').map((plugin) => ({ plugin })),
      trackers: meta.announceList,
      initialPeers: peers,
      selfAddresses: self,
      config: { maxPeers: args['max-peers'] },
      events: {
        complete: () => hooks.complete?.(),
        checked: (have, of, haveBytes) => printer.raw({ event: 'checked', have, of, haveBytes }, `checked data on disk: ${have}/${of} pieces verified`),
        peerBanned: (addr, reason) => printer.raw({ event: 'banned', peer: addressKey(addr), reason }, `banned ${addressKey(addr)}: ${reason}`),
        error: (err) => rej(err),
      },
    });
  });
  errorSeen.catch(() => {});
  torrent.start();
  const shutdown = () => new Promise<void>((res) => {
    const guard = setTimeout(res, 5000);
    client.close(() => { clearTimeout(guard); res(); });
  }).then(() => host.destroy());
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
  let onSig: () => void = () => {};
  const signalled = new Promise<'signal'>((res) => {
    onSig = () => res('signal');
    process.once('SIGINT', onSig);
    process.once('SIGTERM', onSig);
  });
  try {
    return await Promise.race([stopWhen, signalled, t.errorSeen ?? new Promise<never>(() => {})]);
  } finally {
    clearInterval(tick);
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
    t.printer.end();
  }
}
