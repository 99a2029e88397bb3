/**
 * bt-lab as the downloader, against real seeders (libtorrent 2.0.8, Transmission 3.00), through
 * the stable CLI contract: `bt-lab download <torrent> -o <dir> --peer host:port --json`.
 * Multi-file torrents with odd sizes, so pieces span file boundaries (BEP3-META-9) and the
 * last piece is short (BEP3-META-10); every file is checked with SHA-256.
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
  startLtPeer,
  startTransmission,
  startBtLabDownload,
} from './harness/index.js';
import { contractProblems } from './harness/contract.js';

test.serial('bt-lab downloads a multi-file torrent from a libtorrent seeder by --peer (BEP3-HS-1, BEP3-META-9, SHA-256)', async (t) => {
  t.timeout(90_000);
  const lab = openLab(t);
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(4));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 64 * 1024, trackers: [trackerUrl()] });
  // a live tracker that knows no peers: the only way to the seeder is --peer
  await startOpentracker(lab, { infohashes: [tor.infohash] });
  const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '127.0.0.2:6881', seed: true, noTrackers: true, name: 'lt-seed' });
  await seeder.seeding();
  const bt = startBtLabDownload(lab, { torrent: tor.path, outDir: lab.path('dl'), peers: ['127.0.0.2:6881'], bind: '127.0.0.3', port: 7001, seconds: 80 });
  t.is(await bt.listening(), 7001, 'listens on --port');
  const secs = await bt.complete(60_000);
  await bt.exitsCleanly(15_000);
  t.deepEqual(contractProblems(bt.events(), true), []);
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  // the only peer libtorrent served is bt-lab (its source address depends on whether --bind
  // also binds outgoing connections, which the CLI contract leaves open)
  const served = seeder.peersSeen();
  t.is(served.length, 1, JSON.stringify(served));
  t.log(`libtorrent→bt-lab ${(tor.totalSize / 2 ** 20).toFixed(1)} MiB in ${secs.toFixed(2)} s; libtorrent saw bt-lab as ${served.map((p) => `${p.ip}:${p.port} "${p.client}"`).join(', ')}`);
});

test.serial('bt-lab downloads a multi-file torrent from a Transmission seeder by --peer (SHA-256)', async (t) => {
  t.timeout(100_000);
  const lab = openLab(t);
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(2));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 32 * 1024, trackers: [trackerUrl()] });
  await startOpentracker(lab, { infohashes: [tor.infohash] });
  // Transmission accepts incoming connections from 127/8 (it only refuses to dial them)
  const tr = await startTransmission(lab, { ip: '127.0.0.6', peerPort: 51413, downloadDir: lab.path('seed'), seconds: 95, name: 'tr-seed' });
  await tr.add(tor.path);
  await tr.waitSeeding(20_000);
  const bt = startBtLabDownload(lab, { torrent: tor.path, outDir: lab.path('dl'), peers: ['127.0.0.6:51413'], bind: '127.0.0.3', port: 7001, seconds: 80 });
  await bt.listening();
  const secs = await bt.complete(70_000);
  await bt.exitsCleanly(15_000);
  t.deepEqual(contractProblems(bt.events(), true), []);
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  t.log(`Transmission→bt-lab ${(tor.totalSize / 2 ** 20).toFixed(1)} MiB in ${secs.toFixed(2)} s`);
});
