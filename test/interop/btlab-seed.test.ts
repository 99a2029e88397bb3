/**
 * bt-lab as the seeder (`bt-lab seed <torrent> <data> --port N --bind IP --json`), with real
 * downloaders: libtorrent dialling it directly, aria2 and Transmission finding it through
 * opentracker. A seeder that announces from the tracker's own address is listed with the
 * address it listens on, so in the tracker cases bt-lab binds to the tracker's IP.
 * SIGTERM must end the seeder with exit 0 (it announces `stopped`, BEP3-TRK-3).
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
  scrape,
  startLtPeer,
  startAria2,
  aria2Highlights,
  startTransmission,
  startBtLabSeed,
} from './harness/index.js';
import { contractProblems } from './harness/contract.js';

test.serial('libtorrent downloads a multi-file torrent from a bt-lab seeder by direct connect (SHA-256)', async (t) => {
  t.timeout(90_000);
  const lab = openLab(t);
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(4));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 64 * 1024, trackers: [trackerUrl()] });
  await startOpentracker(lab, { infohashes: [tor.infohash] });
  const bt = startBtLabSeed(lab, { torrent: tor.path, dataPath: data, bind: '127.0.0.2', port: 7001, seconds: 85 });
  t.is(await bt.listening(), 7001);
  const lt = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('dl'), listen: '127.0.0.3:6882', peers: ['127.0.0.2:7001'], noTrackers: true, name: 'lt-get' });
  const secs = await lt.finished(60_000);
  t.is((await lt.proc.waitExit(15_000))?.code, 0, lt.proc.tail());
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  const st = await bt.proc.stop(10_000);
  t.is(st.code, 0, `seed exits 0 on SIGTERM\n${bt.proc.tail()}`);
  t.deepEqual(contractProblems(bt.events(), false), []);
  // The payload came from bt-lab, by both sides' account: libtorrent got blocks from 127.0.0.2:7001
  // (per-block alerts: a sampled peer list once missed a session that fit between two samples on
  // a loaded box), and bt-lab's last word says it uploaded the whole torrent.
  t.true(lt.peersSeen().some((p) => p.ip === '127.0.0.2' && p.port === 7001), `libtorrent got payload from bt-lab: ${JSON.stringify(lt.peersSeen())}`);
  const stopped = bt.events().find((e) => e.event === 'stopped');
  t.true(stopped !== undefined && Number(stopped.uploaded) >= tor.totalSize, `bt-lab uploaded the payload: ${JSON.stringify(stopped)}`);
  t.log(`bt-lab→libtorrent ${(tor.totalSize / 2 ** 20).toFixed(1)} MiB in ${secs} s`);
});

test.serial('aria2 downloads from a bt-lab seeder found through opentracker (BEP3-TRK-1, SHA-256)', async (t) => {
  t.timeout(90_000);
  const lab = openLab(t);
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(4));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 64 * 1024, trackers: [trackerUrl('127.0.0.1', 6969)] });
  const tracker = await startOpentracker(lab, { infohashes: [tor.infohash], ip: '127.0.0.1', port: 6969 });
  const bt = startBtLabSeed(lab, { torrent: tor.path, dataPath: data, bind: '127.0.0.1', port: 7001, seconds: 85 });
  await bt.listening();
  t.like(await waitForSwarm(lab, tracker, tor.infohash, { seeders: 1 }), { complete: 1 }, 'bt-lab announced itself complete (left=0)');
  const aria = startAria2(lab, { torrent: tor.path, downloadDir: lab.path('dl'), ip: '127.0.0.4', port: 6891, seconds: 60 });
  const st = await aria.waitExit(70_000);
  t.is(st?.code, 0, `${aria.tail()}\n${aria2Highlights(lab)}`);
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  const before = await scrape(lab, tracker, tor.infohash);
  t.is((await bt.proc.stop(10_000)).code, 0, `seed exits 0 on SIGTERM\n${bt.proc.tail()}`);
  // BEP3-TRK-3: the `stopped` announce (sent before exit) takes bt-lab off the tracker's list
  const after = await scrape(lab, tracker, tor.infohash);
  t.is(after.complete, before.complete - 1, `bt-lab sent event=stopped: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
});

test.serial('Transmission downloads from a bt-lab seeder, dialling it from the tracker reply (198.18.0.x, SHA-256)', async (t) => {
  t.timeout(110_000);
  const lab = openLab(t, { altnet: true });
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(2));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 32 * 1024, trackers: [trackerUrl('198.18.0.1', 6969)] });
  const tracker = await startOpentracker(lab, { infohashes: [tor.infohash], ip: '198.18.0.1', port: 6969 });
  // Transmission never dials 127/8; on 198.18.0.x it behaves as on a real network
  const bt = startBtLabSeed(lab, { torrent: tor.path, dataPath: data, bind: '198.18.0.1', port: 7001, seconds: 105 });
  await bt.listening();
  await waitForSwarm(lab, tracker, tor.infohash, { seeders: 1 });
  const tr = await startTransmission(lab, { ip: '198.18.0.3', peerPort: 51413, downloadDir: lab.path('dl'), seconds: 100 });
  await tr.add(tor.path);
  const secs = await tr.waitDone(90_000);
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  t.is((await bt.proc.stop(10_000)).code, 0, bt.proc.tail());
  t.log(`bt-lab→Transmission ${(tor.totalSize / 2 ** 20).toFixed(1)} MiB, daemon start→done ${secs.toFixed(2)} s`);
});
