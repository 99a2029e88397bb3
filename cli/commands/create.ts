import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { createTorrentFromPath } from '../../host/create/create-torrent.js';
import { BtLabError, StorageError } from '../../core/util/errors.js';
import { MAX_PIECE_LENGTH } from '../../core/metainfo/parse.js';
import { handler } from '../run-command.js';
import { humanSize } from './info.js';

interface CreateArgs {
  path: string;
  output: string;
  tracker?: string[];
  'piece-length': string;
  private: boolean;
  comment?: string;
  'web-seed'?: string[];
  date: boolean;
  force: boolean;
  debug?: boolean;
}

export const createCommand: CommandModule<object, CreateArgs> = {
  command: 'create <path>',
  describe: 'Make a v1 .torrent from a file or folder (streams the data through SHA-1)',
  builder: (y) => y
    .positional('path', { type: 'string', demandOption: true, describe: 'File or folder to describe' })
    .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'Where to write the .torrent' })
    .option('tracker', { alias: 't', type: 'string', array: true, describe: 'Announce URL; repeat for more tiers, comma-separate URLs of one tier' })
    .option('piece-length', { alias: 'l', type: 'string', default: 'auto', describe: "Bytes (suffix K/M ok, e.g. 256K) or 'auto' (~1000–2000 pieces)" })
    .option('private', { type: 'boolean', default: false, describe: 'Set the BEP 27 private flag (trackers only)' })
    .option('comment', { alias: 'c', type: 'string', describe: 'Free-text comment' })
    .option('web-seed', { alias: 'w', type: 'string', array: true, describe: 'BEP 19 web seed URL (repeatable)' })
    .option('date', { type: 'boolean', default: true, describe: 'Write the creation date (--no-date for reproducible output)' })
    .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite the output file' })
    .example('$0 create ./album -t http://tracker.example/announce -o album.torrent', '') as never,
  handler: handler(async (args: CreateArgs) => {
    const trackers = (args.tracker ?? []).map((t) => t.split(',').map((u) => u.trim()).filter(Boolean)).filter((t) => t.length > 0);
    const c = await createTorrentFromPath(args.path, {
      trackers,
      pieceLength: parsePieceLength(args['piece-length']),
      private: args.private,
      comment: args.comment,
      urlList: args['web-seed'],
      creationDate: args.date ? undefined : null,
    });
    try {
      writeFileSync(args.output, c.torrent, { flag: args.force ? 'w' : 'wx' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new StorageError(code === 'EEXIST' ? `${args.output} exists (use --force to overwrite)` : `cannot write ${args.output}: ${code ?? (e as Error).message}`, { path: args.output });
    }
    for (const w of c.warnings) process.stderr.write(`bt-lab: warning: ${w}\n`);
    process.stdout.write(
      `wrote ${args.output}: ${c.name}, ${c.files.length} file${c.files.length === 1 ? '' : 's'}, ${humanSize(c.totalLength)} (${c.totalLength} bytes), ` +
      `${c.pieceCount} pieces of ${humanSize(c.pieceLength)}, info hash ${c.infoHashHex}\n`,
    );
  }),
};

/** 'auto' | '262144' | '256K' | '256KiB' | '1M' → bytes. */
export function parsePieceLength(s: string): number | 'auto' {
  if (s.toLowerCase() === 'auto') return 'auto';
  const m = /^([0-9]+)\s*(k|kib|m|mib)?$/i.exec(s.trim());
  if (!m) throw new BtLabError('EUSAGE', `--piece-length "${s}" is not a number of bytes (e.g. 262144, 256K, 1M) or 'auto'`);
  const unit = (m[2] ?? '').toLowerCase();
  const n = Number(m[1]) * (unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1);
  if (!(n >= 1 && n <= MAX_PIECE_LENGTH)) throw new BtLabError('EUSAGE', `--piece-length ${s} is out of range 1..2 GiB`);
  return n;
}
