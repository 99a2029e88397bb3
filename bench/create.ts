/**
 * Torrent creation throughput: `node dist/bench/create.js [--size-mib 1024] [--runs 2]`.
 *
 * Writes one file of --size-mib MiB (random 16 MiB block repeated: SHA-1 speed does not
 * depend on content) in a temp dir, then times, on that same file:
 *   - `bt-lab create` as a child process (the CLI, start-up included),
 *   - createTorrentFromPath in this process (the hashing pipeline alone),
 *   - `sha1sum` (one SHA-1 over the file: the single-core reference),
 *   - `mktorrent -t 1` and `mktorrent` (all cores), when installed.
 * The file was just written, so it is in the page cache for every tool: this compares
 * hashing pipelines, not disks. Best of --runs. The temp dir is deleted at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTorrentFromPath } from '../host/create/create-torrent.js';
import { seededRandom } from '../core/util/prng.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const sizeMiB = Number(arg('size-mib', '1024'));
const runs = Math.max(1, Number(arg('runs', '2')));
const PIECE = 1 << 20;
const main = join(process.cwd(), 'dist', 'cli', 'main.js');

const dir = mkdtempSync(join(tmpdir(), 'btlab-bench-create-'));
const file = join(dir, 'data.bin');
const now = () => Number(process.hrtime.bigint()) / 1e9;

function timeProcess(cmd: string, args: string[]): number {
  const t0 = now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const dt = now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.error?.message ?? r.stderr?.toString()}`);
  return dt;
}
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

try {
  const block = seededRandom('bench-create').bytes(16 << 20);
  const fd = openSync(file, 'w');
  for (let left = sizeMiB << 20; left > 0; left -= block.length) writeSync(fd, block, 0, Math.min(left, block.length));
  closeSync(fd);

  const rows: Array<[string, number]> = [];
  const best = async (name: string, f: () => Promise<number> | number) => {
    let b = Infinity;
    for (let i = 0; i < runs; i++) b = Math.min(b, await f());
    rows.push([name, b]);
  };
  // Warm the page cache evenly for everyone (the write above may have been partly flushed).
  timeProcess('cat', [file]);
  await best('bt-lab create (CLI)', () => timeProcess(process.execPath, [main, 'create', file, '-o', join(dir, `x${Math.random()}.torrent`), '--piece-length', String(PIECE)]));
  await best('createTorrentFromPath', async () => { const t0 = now(); await createTorrentFromPath(file, { pieceLength: PIECE }); return now() - t0; });
  await best('sha1sum', () => timeProcess('sha1sum', [file]));
  if (have('mktorrent')) {
    await best('mktorrent -t 1', () => timeProcess('mktorrent', ['-t', '1', '-l', '20', '-a', 'http://x/', '-o', join(dir, `m${Math.random()}.torrent`), file]));
    await best('mktorrent (all cores)', () => timeProcess('mktorrent', ['-l', '20', '-a', 'http://x/', '-o', join(dir, `m${Math.random()}.torrent`), file]));
  }
  console.log(`file: ${sizeMiB} MiB in page cache, piece length 1 MiB, best of ${runs}`);
  console.log(`${'tool'.padEnd(24)}${'seconds'.padStart(9)}${'MiB/s'.padStart(9)}`);
  for (const [name, s] of rows) console.log(`${name.padEnd(24)}${s.toFixed(2).padStart(9)}${(sizeMiB / s).toFixed(0).padStart(9)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
