import { readFileSync, statSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { parseMetainfo } from '../../core/metainfo/parse.js';
import type { Metainfo } from '../../core/metainfo/types.js';
import { parseMagnet } from '../../core/magnet/parse.js';
import { formatMagnet } from '../../core/magnet/format.js';
import type { Magnet } from '../../core/magnet/types.js';
import { addressKey } from '../../core/seam/net.js';
import { BtLabError, StorageError } from '../../core/util/errors.js';
import { handler } from '../run-command.js';

interface InfoArgs {
  source: string;
  json: boolean;
  strict: boolean;
  debug?: boolean;
}

/** A .torrent bigger than this is not a .torrent (the largest real ones are tens of MiB). */
const MAX_TORRENT_BYTES = 256 * 1024 * 1024;

export const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info <source>',
  describe: 'Show what a .torrent file or a magnet link holds',
  builder: (y) => y
    .positional('source', { type: 'string', demandOption: true, describe: '.torrent file or magnet: link' })
    .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object' })
    .option('strict', { type: 'boolean', default: false, describe: 'Refuse non-canonical bencode and mistyped optional fields' })
    .example('$0 info ubuntu.torrent', '')
    .example("$0 info 'magnet:?xt=urn:btih:...' --json", '') as never,
  handler: handler((args: InfoArgs) => {
    // The CLI decides by prefix: a path never starts with "magnet:".
    if (/^magnet:/i.test(args.source)) {
      const m = parseMagnet(args.source);
      process.stdout.write(args.json ? `${JSON.stringify(magnetJson(m))}\n` : magnetText(m));
      return;
    }
    let meta: Metainfo;
    try {
      meta = parseMetainfo(readTorrent(args.source), { strict: args.strict });
    } catch (e) {
      // Name the file in the one-line reason; keep the code and context of the typed error.
      if (e instanceof BtLabError && !(e instanceof StorageError)) throw new BtLabError(e.code, `${args.source}: ${e.message}`, { ...e.context });
      throw e;
    }
    process.stdout.write(args.json ? `${JSON.stringify(torrentJson(meta))}\n` : torrentText(meta));
  }),
};

function readTorrent(path: string): Uint8Array {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new StorageError(`${path} is not a file`, { path });
    if (st.size > MAX_TORRENT_BYTES) throw new StorageError(`${path} is ${humanSize(st.size)}: too big to be a .torrent`, { path });
    return readFileSync(path);
  } catch (e) {
    if (e instanceof StorageError) throw e;
    throw new StorageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path });
  }
}

/** 1536 → "1.5 KiB"; bytes below 1 KiB stay exact. */
export function humanSize(n: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  if (n < 1024) return `${n} B`;
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}

const sized = (n: number) => (n < 1024 ? `${n} byte${n === 1 ? '' : 's'}` : `${humanSize(n)} (${n} bytes)`);

export function torrentJson(m: Metainfo) {
  const i = m.info;
  return {
    kind: 'torrent' as const,
    name: i.name,
    infoHash: i.infoHashHex,
    totalLength: i.totalLength,
    pieceLength: i.pieceLength,
    pieceCount: i.pieceCount,
    multiFile: i.multiFile,
    private: i.private,
    files: i.files.map((f) => ({ path: f.path, length: f.length, offset: f.offset, ...(f.attr ? { attr: f.attr } : {}) })),
    announceList: m.announceList,
    urlList: m.urlList,
    nodes: m.nodes.map(addressKey),
    comment: m.comment ?? null,
    createdBy: m.createdBy ?? null,
    creationDate: m.creationDate ?? null,
    magnet: formatMagnet({ infoHash: i.infoHash, name: i.name, trackers: m.announceList.flat() }),
  };
}

function torrentText(m: Metainfo): string {
  const i = m.info;
  const lines = [
    `name:        ${i.name}`,
    `info hash:   ${i.infoHashHex}`,
    `total size:  ${sized(i.totalLength)}`,
    `pieces:      ${i.pieceCount} × ${sized(i.pieceLength)}`,
    `private:     ${i.private ? 'yes (BEP 27: trackers only)' : 'no'}`,
  ];
  if (m.comment !== undefined) lines.push(`comment:     ${m.comment}`);
  if (m.createdBy !== undefined) lines.push(`created by:  ${m.createdBy}`);
  if (m.creationDate !== undefined) lines.push(`created:     ${dateText(m.creationDate)}`);
  lines.push(m.announceList.length === 0 ? 'trackers:    (none)' : 'trackers:');
  m.announceList.forEach((tier, k) => lines.push(`  tier ${k + 1}: ${tier.join('  ')}`));
  if (m.urlList.length > 0) lines.push(`web seeds:   ${m.urlList.join('  ')}`);
  if (m.nodes.length > 0) lines.push(`dht nodes:   ${m.nodes.map(addressKey).join('  ')}`);
  lines.push(`files (${i.files.length}):`);
  for (const f of i.files) {
    const path = (i.multiFile ? [i.name, ...f.path] : f.path).join('/');
    lines.push(`  ${path}  ${sized(f.length)}${f.attr ? `  [attr ${f.attr}]` : ''}`);
  }
  return lines.join('\n') + '\n';
}

function dateText(secs: number): string {
  const d = new Date(secs * 1000);
  return Number.isNaN(d.getTime()) ? `${secs} (not a valid date)` : `${d.toISOString()} (${secs})`;
}

export function magnetJson(m: Magnet) {
  return {
    kind: 'magnet' as const,
    infoHash: m.infoHashHex,
    name: m.name ?? null,
    trackers: m.trackers,
    peers: m.peers.map(addressKey),
    btmh: m.btmh ?? null,
  };
}

function magnetText(m: Magnet): string {
  const lines = [
    `name:        ${m.name ?? '(none given)'}`,
    `info hash:   ${m.infoHashHex}`,
    `trackers:    ${m.trackers.length === 0 ? '(none: DHT only, BEP9-MAG-6)' : m.trackers.join('  ')}`,
  ];
  if (m.peers.length > 0) lines.push(`peers:       ${m.peers.map(addressKey).join('  ')}`);
  if (m.btmh) lines.push(`v2 hash:     ${m.btmh}`);
  lines.push('(size and files arrive with the metadata, BEP 9)');
  return lines.join('\n') + '\n';
}
