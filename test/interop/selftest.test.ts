/**
 * Harness self-tests: real third-party software alone (no bt-lab code), proving that the
 * namespace, process control, tracker and client helpers work — so when a bt-lab interop case
 * fails, the harness is not the suspect. Each transfer is checked file by file with SHA-256.
 * Serial: every test starts several processes, and the machine has two cores.
 */
import test from 'ava';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import {
  openLab,
  namespaceAddresses,
  listNamespaces,
  runCommand,
  requireTool,
  missingReason,
  clearToolCache,
  makeFolder,
  makeTorrent,
  compareTrees,
  oddMultiFileLayout,
  startOpentracker,
  trackerUrl,
  startLtPeer,
  startAria2,
  aria2Highlights,
  startTransmission,
  waitForSwarm,
} from './harness/index.js';

/** true once pid no longer exists (an orphaned zombie needs a moment to be reaped) */
async function gone(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
  }
  return false;
}

test.serial('harness: every tool the interop suite drives is installed (a missing one fails, never skips)', (t) => {
  requireTool('netns', 'timeout', 'libtorrent', 'aria2c', 'opentracker', 'transmission-daemon', 'transmission-remote', 'bt-lab');
  t.is(missingReason('aria2c'), null);
});

test.serial('harness: requireTool throws a message naming the Debian package when a program is missing', (t) => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  clearToolCache();
  try {
    const e = t.throws(() => requireTool('aria2c', 'opentracker'));
    t.regex(e?.message ?? '', /aria2c: aria2c not on PATH — install Debian package aria2/);
    t.regex(e?.message ?? '', /opentracker: .*install Debian package opentracker/);
  } finally {
    process.env.PATH = path;
    clearToolCache();
  }
});

test.serial('harness: the namespace has only lo (127.0.0.1-9, 198.18.0.x), no route out, and is gone after close', async (t) => {
  t.timeout(30_000);
  const lab = openLab(t, { altnet: true });
  const { addrs, routes } = namespaceAddresses(lab.ns);
  for (const a of ['127.0.0.1/8', '127.0.0.2/8', '127.0.0.9/8', '198.18.0.1/32', '198.18.0.9/32']) t.true(addrs.includes(a), `${a} on lo`);
  t.is(routes.trim(), '', 'no routes: nothing can leave the namespace');
  const out = await runCommand('bash', ['-c', 'exec 3<>/dev/tcp/1.1.1.1/80'], { ns: lab.ns, timeoutMs: 5000 });
  t.not(out.code, 0, 'a public address is unreachable');
  t.regex(out.stderr, /unreachable/i);
  // a process group is stopped as a whole: sleep's child must die with it
  const p = lab.spawn('sleeper', 'bash', ['-c', 'sleep 60 & echo child=$!; wait'], { timeoutSec: 30 });
  const m = await p.waitForOutput(/child=(\d+)/, 5000);
  const st = await p.stop(2000);
  t.truthy(st.signal ?? st.code);
  t.true(await gone(Number(m[1]), 3000), 'the forked child is gone too');
  await lab.close();
  t.false(listNamespaces().includes(lab.ns.name));
  t.false(existsSync(lab.dir));
});

test.serial('harness: libtorrent seeder → libtorrent downloader by direct connect (multi-file, SHA-256)', async (t) => {
  t.timeout(90_000);
  const lab = openLab(t);
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(4));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 64 * 1024 });
  t.is(tor.files, 5);
  const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '127.0.0.2:6881', seed: true, noTrackers: true, name: 'lt-seed' });
  await seeder.seeding();
  const leech = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('dl'), listen: '127.0.0.3:6882', peers: ['127.0.0.2:6881'], noTrackers: true, name: 'lt-get' });
  const secs = await leech.finished(60_000);
  const st = await leech.proc.waitExit(15_000);
  t.is(st?.code, 0, leech.proc.tail());
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  t.log(`libtorrent→libtorrent ${(tor.totalSize / 2 ** 20).toFixed(1)} MiB in ${secs} s`);
});

test.serial('harness: libtorrent seeder → aria2 through opentracker (multi-file, SHA-256)', async (t) => {
  t.timeout(90_000);
  const lab = openLab(t);
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(4));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 64 * 1024, trackers: [trackerUrl('127.0.0.1', 6969)] });
  const tracker = await startOpentracker(lab, { infohashes: [tor.infohash], ip: '127.0.0.1', port: 6969 });
  // the seeder listens on the tracker's address: opentracker records the source address of
  // the announce, so a peer announcing from 127.0.0.1 must also listen there
  const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '127.0.0.1:6881', seed: true, name: 'lt-seed' });
  await seeder.seeding();
  t.like(await waitForSwarm(lab, tracker, tor.infohash, { seeders: 1 }), { complete: 1, incomplete: 0 });
  const t0 = Date.now();
  const aria = startAria2(lab, { torrent: tor.path, downloadDir: lab.path('dl'), ip: '127.0.0.4', port: 6891, seconds: 60 });
  const st = await aria.waitExit(70_000);
  t.is(st?.code, 0, `${aria.tail()}\n${aria2Highlights(lab)}`);
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  t.log(`libtorrent→aria2 ${(tor.totalSize / 2 ** 20).toFixed(1)} MiB, aria2 start→exit ${((Date.now() - t0) / 1000).toFixed(2)} s`);
});

test.serial('harness: libtorrent seeder → Transmission, which dials it from the tracker reply (198.18.0.x, SHA-256)', async (t) => {
  t.timeout(110_000);
  const lab = openLab(t, { altnet: true });
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(2));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 32 * 1024, trackers: [trackerUrl('198.18.0.1', 6969)] });
  const tracker = await startOpentracker(lab, { infohashes: [tor.infohash], ip: '198.18.0.1', port: 6969 });
  // Transmission 3.00 drops 127/8 peers, so tracker, seeder and Transmission all use 198.18.0.x;
  // the seeder shares the tracker's address so the tracker lists the address it listens on
  const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '198.18.0.1:6881', seed: true, name: 'lt-seed' });
  await seeder.seeding();
  t.like(await waitForSwarm(lab, tracker, tor.infohash, { seeders: 1 }), { complete: 1, incomplete: 0 });
  const tr = await startTransmission(lab, { ip: '198.18.0.3', peerPort: 51413, downloadDir: lab.path('dl'), seconds: 100 });
  await tr.add(tor.path);
  const secs = await tr.waitDone(90_000);
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  t.true(
    seeder.peersSeen().some((p) => p.ip === '198.18.0.3'),
    `the seeder saw Transmission connect from 198.18.0.3: ${JSON.stringify(seeder.peersSeen())}`,
  );
  t.log(`libtorrent→Transmission ${(tor.totalSize / 2 ** 20).toFixed(1)} MiB, daemon start→done ${secs.toFixed(2)} s`);
});
