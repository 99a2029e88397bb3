/**
 * Magnet → metadata time (issue #5 bench): a libtorrent 2.0.8 seeder in a private namespace;
 * bt-lab is given `magnet:?xt=urn:btih:…&x.pe=<seeder>` and we time process start → the
 * `metadata` JSON line (info dict fetched over ut_metadata and checked against the info hash),
 * and → `complete`. Goal: metadata < 1 s. `--runs N` (default 5), `--size-mib` (default 8).
 */
import { join } from 'node:path';
import { Lab, writeSeededFile, makeTorrent, startLtPeer, BTLAB_CLI } from '../test/interop/harness/index.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

const runs = Number(arg('runs', '5'));
const sizeMiB = Number(arg('size-mib', '8'));
const lab = new Lab({ label: 'bench-magnet' });
try {
  const file = join(lab.path('seed'), 'payload.bin');
  writeSeededFile(file, sizeMiB * 2 ** 20, 'magnet-bench');
  const tor = await makeTorrent(file, lab.path('payload.torrent'), { pieceSize: 256 * 1024 });
  const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '127.0.0.2:6881', seed: true, noTrackers: true, seconds: 60 + runs * 20, name: 'lt-seed' });
  await seeder.seeding();
  const meta: number[] = [], done: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = Date.now();
    const p = lab.spawn(`btlab-${i}`, process.execPath, [BTLAB_CLI, 'download', `magnet:?xt=urn:btih:${tor.infohash}&x.pe=127.0.0.2:6881`, '-o', lab.path(`dl${i}`), '--port', '0', '--no-dht', '--json'], { timeoutSec: 60 });
    await p.waitForEvent('metadata', 30_000);
    meta.push((Date.now() - t0) / 1000);
    await p.waitForEvent('complete', 30_000);
    done.push((Date.now() - t0) / 1000);
    await p.waitExit(15_000);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`magnet → metadata from a libtorrent seeder (${sizeMiB} MiB, ${runs} runs, process start included)`);
  console.log(`  metadata: median ${med(meta).toFixed(3)} s  (min ${Math.min(...meta).toFixed(3)}, max ${Math.max(...meta).toFixed(3)})`);
  console.log(`  complete: median ${med(done).toFixed(3)} s`);
} finally {
  await lab.close();
}
