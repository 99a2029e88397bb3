/**
 * A magnet download (BEP 9 metadata, then the torrent) run inside the simulator: the same
 * MagnetDownload object `bt-lab download magnet:…` uses, on the sim host. Also pins the
 * peer-source contract across the two phases: the sources are started once and, when the
 * phase-2 torrent is short of peers, it still asks them for more (wantMore).
 */
import test from 'ava';
import { SimWorld } from '../../sim/world.js';
import { createSimHost } from '../../sim/host.js';
import { syntheticTorrent } from '../../sim/scenario/synthetic-torrent.js';
import { Client } from '../../core/client/client.js';
import { builtinChoker, builtinPicker } from '../../plugins/registry.js';
import type { PeerSourcePlugin } from '../../core/plugin-api/peer-source.js';
import type { Address } from '../../core/seam/net.js';

test('sim: a magnet download fetches the metadata and the data; the phase-2 torrent asks the phase-1 sources for more peers', (t) => {
  const world = new SimWorld({ seed: 5 });
  world.addNode({ id: 'seed', upBps: 2_000_000, downBps: 2_000_000, seed: true });
  world.addNode({ id: 'leech', upBps: 2_000_000, downBps: 2_000_000 });
  const info = syntheticTorrent(2 * 1024 * 1024, 256 * 1024);
  const seedAddr: Address = { host: world.node('seed').address, port: 6881 };
  const calls = { start: 0, wantMore: 0, completed: 0, stop: 0 };
  let wantMoreAfterMetadata = 0;
  let metadataAt = -1;
  let completedAt = -1;
  // A source that names the seed once, and counts how the engine drives it.
  const counting: PeerSourcePlugin = {
    name: 'source:counting', description: 'test', options: [],
    create: (ctx) => ({
      name: 'counting',
      start: () => { calls.start++; ctx.addPeers([seedAddr], 'counting'); },
      completed: () => { calls.completed++; },
      wantMore: () => { calls.wantMore++; if (metadataAt >= 0) wantMoreAfterMetadata++; },
      stop: (done) => { calls.stop++; done(); },
    }),
  };
  world.within('seed', () => {
    const c = new Client(createSimHost(world, 'seed'));
    c.listen(6881, (err) => {
      if (err) throw err;
      c.add({ info, picker: builtinPicker('rarest').create({}), choker: builtinChoker('reference').create({}) }).start();
    });
  });
  world.within('leech', () => {
    const c = new Client(createSimHost(world, 'leech'));
    c.listen(6881, (err) => {
      if (err) throw err;
      c.addMagnet({
        infoHash: info.infoHash,
        picker: builtinPicker('rarest').create({}),
        choker: builtinChoker('reference').create({}),
        sources: [{ plugin: counting }],
        onMetadata: () => { metadataAt = world.now; },
        events: { complete: () => { completedAt = world.now; } },
      }).start();
    });
  });
  world.run({ until: 120_000 });
  t.true(metadataAt > 0, 'metadata fetched');
  t.true(completedAt > metadataAt, `completed at ${completedAt} ms, metadata at ${metadataAt} ms`);
  t.is(calls.start, 1, 'sources start once for both phases');
  t.is(calls.completed, 1, 'completed reaches the phase-1 sources');
  // One peer < wantMorePeersBelow and nobody left to dial: the torrent asks every tick.
  t.true(wantMoreAfterMetadata > 0, `wantMore after the metadata phase: ${wantMoreAfterMetadata}`);
});
