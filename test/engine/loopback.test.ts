/**
 * The engine end to end on real loopback sockets and real files, in one process: bt-lab
 * seeds, bt-lab downloads, a peer that serves corrupt data is banned and the download still
 * completes byte-exact (issue #3, faults).
 */
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '../../core/client/client.js';
import type { Torrent } from '../../core/torrent/torrent.js';
import type { StorageProvider } from '../../core/seam/storage.js';
import type { TorrentInfo } from '../../core/metainfo/types.js';
import { createNodeHost, type NodeHost } from '../../host/node-host.js';
import { rarestFirstPicker } from '../../plugins/pickers/rarest-first.js';
import { referenceChoker } from '../../plugins/chokers/reference.js';
import { bytesEqual } from '../../core/util/bytes.js';
import { makeFixtureTorrent } from '../support/fixture-torrent.js';

const FILES = [
  { path: ['a.bin'], length: 300_001 },
  { path: ['sub', 'b.bin'], length: 1 },
  { path: ['sub', 'empty'], length: 0 },
  { path: ['c.bin'], length: 1_234_567 },
];

/** A storage provider that corrupts every block it reads (a peer that serves bad data). */
function corrupting(inner: StorageProvider): StorageProvider {
  return {
    open(info, done) {
      inner.open(info, (err, opened) => {
        if (err || !opened) return done(err);
        const s = opened.store;
        done(null, {
          have: opened.have,
          store: {
            write: (i, b, d, cb) => s.write(i, b, d, cb),
            verify: (i, cb) => s.verify(i, cb),
            close: (cb) => s.close(cb),
            read: (i, b, l, cb) => s.read(i, b, l, (e, data) => {
              if (data) { data = data.slice(); data[0] ^= 0xff; }
              cb(e, data);
            }),
          },
        });
      });
    },
  };
}

async function startPeer(dir: string, info: TorrentInfo, opts: { corrupt?: boolean; peers?: number[] } = {}): Promise<{ host: NodeHost; client: Client; torrent: Torrent; port: number; done: Promise<void> }> {
  const host = createNodeHost({ dir, hashWorkers: 1 });
  if (opts.corrupt) host.storage = corrupting(host.storage) as NodeHost['storage'];
  const client = new Client(host);
  const port = await new Promise<number>((res, rej) => client.listen(0, (e, p) => (e ? rej(e) : res(p!))));
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });
  const torrent = client.add({
    info,
    picker: rarestFirstPicker(),
    choker: referenceChoker(),
    initialPeers: (opts.peers ?? []).map((p) => ({ host: '127.0.0.1', port: p })),
    selfAddresses: [`127.0.0.1:${port}`],
    events: { complete: () => resolveDone() },
  });
  torrent.start();
  return { host, client, torrent, port, done };
}

const stop = (p: { client: Client; host: NodeHost }) => new Promise<void>((r) => p.client.close(() => r())).then(() => p.host.destroy());

test.serial('engine: bt-lab downloads a multi-file torrent from a bt-lab seeder, byte-exact', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'btlab-engine-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const { info, contents } = makeFixtureTorrent(join(root, 'seed'), 'multi', FILES, 65536);
  const seeder = await startPeer(join(root, 'seed'), info);
  const leech = await startPeer(join(root, 'leech'), info, { peers: [seeder.port] });
  await leech.done;
  FILES.forEach((f, i) => t.true(bytesEqual(readFileSync(join(root, 'leech', 'multi', ...f.path)), contents[i]), f.path.join('/')));
  const s = leech.torrent.stats();
  t.is(s.havePieces, info.pieceCount);
  t.is(s.hashFailures, 0);
  await Promise.all([stop(leech), stop(seeder)]);
});

test.serial('engine: a peer that sends corrupt blocks is banned and the download still completes (faults)', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'btlab-engine-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const { info, contents } = makeFixtureTorrent(join(root, 'seed'), 'multi', FILES, 32768);
  makeFixtureTorrent(join(root, 'bad'), 'multi', FILES, 32768);
  const good = await startPeer(join(root, 'seed'), info);
  const bad = await startPeer(join(root, 'bad'), info, { corrupt: true });
  // Only the corrupt peer at first, so the failure and the ban are certain; the good peer is
  // introduced once the bad one is banned.
  const leech = await startPeer(join(root, 'leech'), info, { peers: [bad.port] });
  const banned: string[] = [];
  (leech.torrent as unknown as { events: { peerBanned?: (a: { port: number }) => void } }).events.peerBanned = (a) => {
    banned.push(String(a.port));
    leech.torrent.addPeers([{ host: '127.0.0.1', port: good.port }], 'test');
  };
  await leech.done;
  FILES.forEach((f, i) => t.true(bytesEqual(readFileSync(join(root, 'leech', 'multi', ...f.path)), contents[i]), f.path.join('/')));
  const s = leech.torrent.stats();
  t.true(s.hashFailures >= 1, 'the corrupt peer delivered at least one bad piece');
  t.deepEqual(banned, [String(bad.port)]);
  await Promise.all([stop(leech), stop(good), stop(bad)]);
});
