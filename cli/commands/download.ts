import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { handler, lastWins } from '../run-command.js';
import { readTarget, runUntil, startTransfer, transferOptions, type TransferArgs } from '../transfer.js';
import { formatBytes, formatDuration } from '../progress.js';

interface DownloadArgs extends TransferArgs {
  torrent: string;
  out: string;
  seed: boolean;
}

export const downloadCommand: CommandModule<object, DownloadArgs> = {
  command: 'download <torrent>',
  describe: 'Download a .torrent or magnet link from real peers (trackers, DHT, --peer); verify every piece',
  builder: (y) => y
    .positional('torrent', { type: 'string', demandOption: true, describe: '.torrent file or magnet link' })
    .option('out', { alias: 'o', type: 'string', default: '.', coerce: lastWins, describe: 'Download folder' })
    .option('seed', { type: 'boolean', default: false, describe: 'Keep seeding after completion (until Ctrl-C)' })
    .options(transferOptions) as never,
  handler: handler(async (args: DownloadArgs) => {
    const target = readTarget(args.torrent);
    let name = 'meta' in target ? target.meta.info.name : target.magnet.name ?? target.magnet.infoHashHex;
    const started = performance.now();
    let markComplete!: () => void;
    const completed = new Promise<'complete'>((res) => { markComplete = () => res('complete'); });
    const t = await startTransfer(target, resolve(args.out), args, { complete: () => markComplete(), metadata: (info) => { name = info.name; } });
    if (t.torrent.stats().status === 'seeding') markComplete();
    const why = await runUntil(t, completed);
    const s = t.torrent.stats();
    if (why === 'complete') {
      const secs = (performance.now() - started) / 1000;
      t.printer.event('complete', s, { seconds: Number(secs.toFixed(3)) },
        `complete: ${name} ${formatBytes(s.totalBytes)} in ${formatDuration(secs)} (${formatBytes(s.downloaded / Math.max(secs, 1e-3))}/s), ${s.hashFailures} hash failures, ${s.banned} banned`);
      if (args.seed) await runUntil(t, new Promise(() => {}));
    }
    await t.shutdown();
    const f = t.torrent.stats();
    t.printer.event('stopped', f, {}, `stopped: downloaded ${formatBytes(f.downloaded)}, uploaded ${formatBytes(f.uploaded)}`);
    if (why === 'signal' && s.status !== 'seeding') process.exitCode = 130;
  }),
};
