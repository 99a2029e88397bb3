/**
 * Trackers against real software (issue #4):
 *  1. bt-lab finds a libtorrent seeder through opentracker over udp:// (BEP 15 client:
 *     connect, announce, compact peers) and downloads from it.
 *  2. libtorrent, aria2 and Transmission announce to bt-lab's own tracker (`bt-lab tracker`)
 *     over HTTP (BEP 3, BEP 23) and over UDP (BEP 15), find each other and complete.
 * The tracker and the seeder share 198.18.0.1 on the namespace's lo: every peer's announce
 * reaches the tracker from the address it dials from, and Transmission (which never dials
 * 127/8) treats 198.18.0.x like a real network.
 */
import test from 'ava';
import { join } from 'node:path';
import { openLab, makeFolder, makeTorrent, compareTrees, oddMultiFileLayout, startOpentracker, startLtPeer, startAria2, startTransmission, startBtLabDownload, waitForTcp, BTLAB_CLI, type Lab } from './harness/index.js';

async function startBtLabTracker(lab: Lab, ip: string, port: number) {
  const p = lab.spawn('btlab-tracker', process.execPath, [BTLAB_CLI, 'tracker', '--http', String(port), '--udp', String(port), '--host', ip, '--interval', '60', '--stats-every', '0'], { timeoutSec: 110 });
  await waitForTcp(lab.ns, ip, port, 15_000);
  return p;
}

test.serial('bt-lab downloads through opentracker over udp:// (BEP15-CONN-1, BEP15-ANN-1/3, SHA-256)', async (t) => {
  t.timeout(90_000);
  const lab = openLab(t);
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(2));
  const udp = 'udp://127.0.0.1:6969/announce';
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 32 * 1024, trackers: [udp] });
  await startOpentracker(lab, { infohashes: [tor.infohash] });
  const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '127.0.0.2:6881', seed: true, seconds: 85, name: 'lt-seed' });
  await seeder.seeding();
  // no --peer: the UDP tracker is the only way to the seeder
  const bt = startBtLabDownload(lab, { torrent: tor.path, outDir: lab.path('dl'), bind: '127.0.0.3', port: 7001, seconds: 80 });
  const secs = await bt.complete(60_000);
  await bt.exitsCleanly(15_000);
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  t.log(`libtorrent → bt-lab through opentracker/udp in ${secs.toFixed(2)} s`);
});

test.serial("libtorrent, aria2 and Transmission find each other through bt-lab's tracker over HTTP and complete (BEP3-TRK-*, BEP23)", async (t) => {
  t.timeout(110_000);
  const lab = openLab(t, { altnet: true });
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(2));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 32 * 1024, trackers: ['http://198.18.0.1:6969/announce'] });
  await startBtLabTracker(lab, '198.18.0.1', 6969);
  const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '198.18.0.1:6881', seed: true, seconds: 100, name: 'lt-seed' });
  await seeder.seeding();
  const aria = startAria2(lab, { torrent: tor.path, downloadDir: lab.path('aria2'), ip: '198.18.0.4', port: 6890, seconds: 90 });
  const tr = await startTransmission(lab, { ip: '198.18.0.3', peerPort: 51413, downloadDir: lab.path('tr'), seconds: 95 });
  await tr.add(tor.path);
  const trSecs = await tr.waitDone(90_000);
  const ariaExit = await aria.waitExit(60_000);
  t.is(ariaExit?.code, 0, aria.tail());
  t.deepEqual(await compareTrees(data, join(lab.path('tr'), 'payload')), []);
  t.deepEqual(await compareTrees(data, join(lab.path('aria2'), 'payload')), []);
  t.log(`through bt-lab's HTTP tracker: Transmission done in ${trSecs.toFixed(1)} s, aria2 exited 0`);
});

test.serial("libtorrent and Transmission find each other through bt-lab's tracker over UDP and complete (BEP 15 server)", async (t) => {
  t.timeout(110_000);
  const lab = openLab(t, { altnet: true });
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(2));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 32 * 1024, trackers: ['udp://198.18.0.1:6969/announce'] });
  await startBtLabTracker(lab, '198.18.0.1', 6969);
  const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '198.18.0.1:6881', seed: true, seconds: 100, name: 'lt-seed' });
  await seeder.seeding();
  const ltGet = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('lt'), listen: '198.18.0.5:6881', seconds: 60, name: 'lt-get' });
  const tr = await startTransmission(lab, { ip: '198.18.0.3', peerPort: 51413, downloadDir: lab.path('tr'), seconds: 95 });
  await tr.add(tor.path);
  const ltSecs = await ltGet.finished(60_000);
  const trSecs = await tr.waitDone(90_000);
  t.deepEqual(await compareTrees(data, join(lab.path('lt'), 'payload')), []);
  t.deepEqual(await compareTrees(data, join(lab.path('tr'), 'payload')), []);
  t.log(`through bt-lab's UDP tracker: libtorrent done in ${ltSecs.toFixed(1)} s, Transmission in ${trSecs.toFixed(1)} s`);
});
