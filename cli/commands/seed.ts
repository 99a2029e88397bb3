import type { CommandModule } from 'yargs';
import { BtLabError } from '../../core/util/errors.js';
import { handler } from '../run-command.js';
import { readTorrentFile, runUntil, seedDataDir, startTransfer, transferOptions, type TransferArgs } from '../transfer.js';
import { formatBytes } from '../progress.js';

interface SeedArgs extends TransferArgs {
  torrent: string;
  data: string;
}

export const seedCommand: CommandModule<object, SeedArgs> = {
  command: 'seed <torrent> <data>',
  describe: 'Serve a torrent from existing data (checked piece by piece first)',
  builder: (y) => y
    .positional('torrent', { type: 'string', demandOption: true, describe: '.torrent file' })
    .positional('data', { type: 'string', demandOption: true, describe: 'The file or folder the torrent describes (or the folder containing it)' })
    .options(transferOptions) as never,
  handler: handler(async (args: SeedArgs) => {
    const meta = readTorrentFile(args.torrent);
    const t = await startTransfer({ meta }, seedDataDir(meta, args.data), args);
    // Wait for the data check, then refuse to "seed" nothing.
    while (t.torrent.stats().status === 'checking' || t.torrent.stats().status === 'idle') await new Promise((r) => setTimeout(r, 50));
    const s = t.torrent.stats();
    if (s.havePieces === 0 && s.pieces > 0) {
      await t.shutdown();
      throw new BtLabError('ENODATA', `no piece of ${meta.info.name} verifies under ${args.data}: nothing to seed`);
    }
    t.printer.event('seeding', s, {}, `seeding ${meta.info.name}: ${s.havePieces}/${s.pieces} pieces verified`);
    await runUntil(t, new Promise(() => {}));
    await t.shutdown();
    // The last word: what this session served (scripts and tests read it from --json).
    const f = t.torrent.stats();
    t.printer.event('stopped', f, {}, `stopped: uploaded ${formatBytes(f.uploaded)} of ${meta.info.name}`);
  }),
};
