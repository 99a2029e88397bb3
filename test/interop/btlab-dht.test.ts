/**
 * Magnet links and the DHT against real libtorrent (issue #5): a small libtorrent DHT on
 * 127.0.0.x inside the lab's namespace (nodes introduced with add_dht_node, routing
 * restrictions off — the settings a loopback DHT needs), no tracker anywhere.
 *  1. bt-lab, given only `magnet:?xt=urn:btih:…` and one DHT contact, finds the libtorrent
 *     seeder through the DHT (BEP5-LKP-1), fetches the info dict over ut_metadata
 *     (BEP9-META-1/2) and completes the download (SHA-256).
 *  2. libtorrent, given only a magnet link, finds a bt-lab seeder's announce_peer in the DHT
 *     (BEP5-Q-5) and fetches the metadata from bt-lab (BEP9-MSG-5/6), then the data.
 */
import test from 'ava';
import { join } from 'node:path';
import { openLab, makeFolder, makeTorrent, compareTrees, oddMultiFileLayout, startLtPeer, startBtLabDownload, startBtLabSeed, BTLAB_CLI, type Lab } from './harness/index.js';

const N1 = '127.0.0.2:6881', N2 = '127.0.0.3:6881';

/** Two libtorrent DHT nodes that know each other: the contact points of the swarm. */
async function ltDht(lab: Lab): Promise<void> {
  const n1 = startLtPeer(lab, { dhtOnly: true, saveDir: lab.path('n1'), listen: N1, seconds: 110, name: 'lt-dht1' });
  await n1.listening();
  const n2 = startLtPeer(lab, { dhtOnly: true, saveDir: lab.path('n2'), listen: N2, dhtNodes: [N1], seconds: 110, name: 'lt-dht2' });
  await n2.listening();
}

/** Poll `bt-lab dht get-peers` until the hash has peers in the DHT (bounded). */
async function waitForDhtPeers(lab: Lab, infohash: string, want: string, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  while (Date.now() < deadline) {
    const p = lab.spawn('dht-probe', process.execPath, [BTLAB_CLI, 'dht', 'get-peers', infohash, '--bootstrap', N1, '--json', '--timeout', '10'], { timeoutSec: 15 });
    const s = await p.waitExit(15_000);
    const line = p.jsonLines().find((l) => Array.isArray(l.peers));
    last = (line?.peers as string[] | undefined) ?? [];
    if (s && s.code === 0 && last.some((x) => x.startsWith(want))) return last;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`interop: ${infohash} has no peer ${want}* in the DHT after ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

test.serial('bt-lab downloads a bare magnet link: DHT lookup finds the libtorrent seeder, metadata over ut_metadata (BEP 5, BEP 9)', async (t) => {
  t.timeout(110_000);
  const lab = openLab(t);
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(2));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 32 * 1024 });
  await ltDht(lab);
  const seeder = startLtPeer(lab, { torrent: tor.path, saveDir: lab.path('seed'), listen: '127.0.0.4:6881', seed: true, noTrackers: true, dht: true, dhtNodes: [N1, N2], seconds: 100, name: 'lt-seed' });
  await seeder.seeding();
  const found = await waitForDhtPeers(lab, tor.infohash, '127.0.0.4', 40_000);
  t.log(`DHT knows the seeder: ${found.join(' ')}`);
  const bt = startBtLabDownload(lab, {
    torrent: `magnet:?xt=urn:btih:${tor.infohash}`, outDir: lab.path('dl'), bind: '127.0.0.5', port: 6881, seconds: 80,
    extra: ['--dht-bootstrap', N1],
  });
  await bt.listening();
  const meta = await bt.proc.waitForEvent('metadata', 40_000);
  t.is(meta.name, 'payload');
  const secs = await bt.complete(40_000);
  await bt.exitsCleanly(15_000);
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  t.log(`bare magnet → complete in ${secs.toFixed(2)} s`);
});

test.serial('libtorrent downloads a bare magnet link from a bt-lab seeder it finds in the DHT (BEP5-Q-5, BEP9-MSG-5)', async (t) => {
  t.timeout(110_000);
  const lab = openLab(t);
  const data = makeFolder(lab.path('seed'), 'payload', oddMultiFileLayout(2));
  const tor = await makeTorrent(data, lab.path('payload.torrent'), { pieceSize: 32 * 1024 });
  await ltDht(lab);
  const bt = startBtLabSeed(lab, { torrent: tor.path, dataPath: data, bind: '127.0.0.4', port: 6881, seconds: 100, extra: ['--dht', '--dht-port', '6881', '--dht-bootstrap', `${N1},${N2}`] });
  await bt.listening();
  await bt.proc.waitForEvent('seeding', 20_000);
  const found = await waitForDhtPeers(lab, tor.infohash, '127.0.0.4', 40_000);
  t.log(`DHT knows bt-lab: ${found.join(' ')}`);
  const lt = startLtPeer(lab, { magnet: `magnet:?xt=urn:btih:${tor.infohash}`, saveDir: lab.path('dl'), listen: '127.0.0.5:6881', noTrackers: true, dht: true, dhtNodes: [N1, N2], seconds: 60, name: 'lt-magnet' });
  const secs = await lt.finished(55_000);
  t.deepEqual(await compareTrees(data, join(lab.path('dl'), 'payload')), []);
  // bt-lab is the only holder of the data in this namespace, so matching bytes prove that the
  // metadata and every piece came from it (libtorrent's per-peer report may miss a short session).
  t.true(lt.peersSeen().every((p) => p.ip === '127.0.0.4'), JSON.stringify(lt.peersSeen()));
  t.log(`libtorrent bare magnet from bt-lab → complete in ${secs.toFixed(2)} s`);
});
