/**
 * Child process for the kill -9 test (fs-storage.test.ts). Downloads a deterministic torrent
 * "from peers" (the content in memory) into argv[2] and prints `ok <piece>` on stdout, with a
 * synchronous write, the moment verify() reports a piece ok — so the parent knows exactly which
 * pieces were acknowledged before it sends SIGKILL. It never closes the store: the parent kills it.
 */
import { writeSync } from 'node:fs';
import { seededRandom } from '../../../core/util/prng.js';
import { createFsStorage } from '../fs-storage.js';
import { makeTorrent, openP, verifyP, writePiece, type TestTorrentSpec } from './make-torrent.js';

const [dir, specJson, seed, delayMs] = process.argv.slice(2);
const spec = JSON.parse(specJson) as TestTorrentSpec;
const { info, content } = makeTorrent(spec);
const storage = createFsStorage({ dir, resumeEveryPieces: 3, resumeEveryMs: 20, hashWorkers: 1 });
const rnd = seededRandom(Number(seed));

const { store, have } = await openP(storage, info);
const todo = have.map((h, i) => (h ? -1 : i)).filter((i) => i >= 0);
for (let i = todo.length - 1; i > 0; i--) { const j = rnd.int(i + 1); [todo[i], todo[j]] = [todo[j], todo[i]]; }
writeSync(1, `ready ${todo.length}\n`);
// Three pieces in flight, like an engine downloading from several peers.
const worker = async (): Promise<void> => {
  for (let i = todo.shift(); i !== undefined; i = todo.shift()) {
    await writePiece(store, info, content, i);
    if (await verifyP(store, i)) writeSync(1, `ok ${i}\n`);
    // Pieces arrive over time in real life; a pause keeps the kill landing mid-download.
    await new Promise((r) => setTimeout(r, Number(delayMs ?? 0)));
  }
};
await Promise.all([worker(), worker(), worker()]);
writeSync(1, 'done\n');
// Stay alive until killed (the test kills before this in practice).
setInterval(() => {}, 1000);
