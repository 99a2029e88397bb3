/**
 * A small mixed swarm through opentracker: one libtorrent seeder, three bt-lab peers and one
 * aria2 peer, all starting empty at the same moment, discovering each other only through the
 * tracker (BEP3-TRK-6, compact peers BEP23). Everyone must finish with identical files.
 * bt-lab peers bind to the tracker's address (127.0.0.1) on distinct ports, so the address
 * opentracker records from their announce is the one they listen on.
 */
import test from 'ava';
import { join } from 'node:path';
import {
  openLab,
  makeFolder,
  makeTorrent,
  compareTrees,
  oddMultiFileLayout,
  startOpentracker,
  trackerUrl,
  waitForSwarm,
  startLtPeer,
  startAria2,
  aria2Highlights,
  startBtLabDownload,
} from './harness/index.js';
import { contractProblems } from './harness/contract.js';

test.serial('swarm: libtorrent seeder + 3 bt-lab peers + aria2 complete through opentracker (SHA-256 for all)', async (t) => {
  t.timeout(110_000);
  const lab = openLab(t);
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(4));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 32 * 1024, trackers: [trackerUrl('127.0.0.1', 6969)] });
  const tracker = await startOpentracker(lab, { infohashes: [tor.infohash], ip: '127.0.0.1', port: 6969 });
  const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '127.0.0.1:6881', seed: true, seconds: 105, name: 'lt-seed' });
  await seeder.seeding();
  await waitForSwarm(lab, tracker, tor.infohash, { seeders: 1 });

  // --seed: the bt-lab peers stay in the swarm after completing, so the later ones (and aria2)
  // can get pieces from them, not only from libtorrent
  const peers = [7001, 7002, 7003].map((port) =>
    startBtLabDownload(lab, { torrent: tor.path, outDir: lab.path(`bt-${port}`), bind: '127.0.0.1', port, seed: true, seconds: 100, name: `btlab-${port}` }),
  );
  const aria = startAria2(lab, { torrent: tor.path, downloadDir: lab.path('aria2'), ip: '127.0.0.4', port: 6891, seconds: 80 });

  const times = await Promise.all(peers.map((p) => p.complete(80_000)));
  const ariaExit = await aria.waitExit(80_000);
  t.is(ariaExit?.code, 0, `${aria.tail()}\n${aria2Highlights(lab)}`);
  for (const [i, p] of peers.entries()) {
    t.deepEqual(await compareTrees(data, join(lab.path(`bt-${7001 + i}`), 'payload')), [], `bt-lab peer ${7001 + i}`);
    t.deepEqual(contractProblems(p.events(), true), [], `bt-lab peer ${7001 + i} JSON lines`);
  }
  t.deepEqual(await compareTrees(data, join(lab.path('aria2'), 'payload')), [], 'aria2');
  for (const p of peers) t.is((await p.proc.stop(10_000)).code, 0, `--seed peer exits 0 on SIGTERM\n${p.proc.tail()}`);
  t.log(`swarm of ${(tor.totalSize / 2 ** 20).toFixed(1)} MiB: bt-lab peers complete after ${times.map((s) => s.toFixed(2)).join(', ')} s`);
});
