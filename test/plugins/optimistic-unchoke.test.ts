/**
 * Port of libtorrent's simulation/test_optimistic_unchoke.cpp (read via the search tool, not
 * copied). Its setup: one libtorrent session seeding a torrent, `unchoke_slots_limit = 1` and
 * `num_optimistic_unchoke_slots = 1` ("only allow an optimistic unchoke slot": libtorrent takes
 * the optimistic slots OUT of the unchoke slots, so no regular slot is left), and 20 idle peers
 * that connect, say interested and never request anything. After 20 × 90 simulated seconds,
 * each peer must have been unchoked for duration / 20 = 90 s, within 1.5 s.
 *
 * Here: the same shape in bt-lab's simulator — a bt-lab Client seeding (sim storage, seed:
 * true) with `choker:fixed` {slots: 1, optimisticSlots: 1} (libtorrent's defaults otherwise:
 * 15 s rounds, 30 s optimistic rotation, longest-waiting-first), and 20 hand-written idle peers
 * on the seam's PeerNet that record choke/unchoke messages as they arrive. Idle peers send a
 * keep-alive every minute (BEP3-MSG-2), as libtorrent's idle peer_conn does, so the engine's
 * idle timeout keeps them. The property checked is libtorrent's: optimistic unchokes are
 * shared fairly. A second case runs the BEP 3 reference choker's random draw for contrast: it
 * is only fair on average, so its spread is measured, not bounded tightly.
 */
import test from 'ava';
import { SimWorld } from '../../sim/world.js';
import { createSimHost } from '../../sim/host.js';
import { syntheticTorrent } from '../../sim/scenario/synthetic-torrent.js';
import { Client } from '../../core/client/client.js';
import type { Choker } from '../../core/plugin-api/choker.js';
import { rarestFirstPicker } from '../../plugins/pickers/rarest-first.js';
import { fixedSlotsChoker } from '../../plugins/chokers/libtorrent.js';
import { referenceChoker } from '../../plugins/chokers/reference.js';

const NUM_PEERS = 20;
const DURATION_MS = NUM_PEERS * 90_000;

/** Unchoked time per idle peer, in ms, measured at the peers. */
function run(choker: Choker, seed: number): number[] {
  const world = new SimWorld({ seed });
  const info = syntheticTorrent(4 * 1024 * 1024, 256 * 1024);
  const seedNode = world.addNode({ id: 'seed', address: '50.1.0.0', seed: true, accessLatencyMs: 5 });
  world.within(seedNode.id, () => {
    const host = createSimHost(world, seedNode.id, { logLevel: 'error' });
    const client = new Client(host);
    client.listen(6881, (err) => {
      if (err) throw err;
      client.add({ info, picker: rarestFirstPicker(), choker }).start();
    });
  });

  const unchokedMs = new Array<number>(NUM_PEERS).fill(0);
  const since = new Array<number | null>(NUM_PEERS).fill(null);
  for (let i = 0; i < NUM_PEERS; i++) {
    const id = `idle${i}`;
    world.addNode({ id, address: `50.0.0.${i + 1}`, accessLatencyMs: 5 });
    world.within(id, () => {
      const host = createSimHost(world, id, { logLevel: 'error' });
      const link = host.peers.connect({ host: '50.1.0.0', port: 6881 });
      link.attach({
        onHandshake: () => {},
        onMessage: (m) => {
          const now = host.clock.now();
          if (m.type === 'unchoke' && since[i] === null) since[i] = now;
          if (m.type === 'choke' && since[i] !== null) { unchokedMs[i] += now - since[i]!; since[i] = null; }
        },
        onDrain: () => {},
        onClose: (c) => { throw new Error(`idle peer ${i} lost its connection: ${c.reason}`); },
      });
      link.sendHandshake({ reserved: new Uint8Array(8), infoHash: info.infoHash, peerId: host.random.bytes(20) });
      link.send({ type: 'interested' });
      const keepAlive = () => { link.send({ type: 'keepalive' }); host.timers.after(60_000, keepAlive); };
      host.timers.after(60_000, keepAlive);
    });
  }
  world.run({ until: DURATION_MS });
  for (let i = 0; i < NUM_PEERS; i++) if (since[i] !== null) unchokedMs[i] += DURATION_MS - since[i]!;
  return unchokedMs;
}

test('libtorrent test_optimistic_unchoke: 20 idle peers, 1 slot that is optimistic, 1800 s — each unchoked 90 s ± 1.5 s', (t) => {
  const got = run(fixedSlotsChoker.create({ slots: 1, optimisticSlots: 1 }), 1);
  const expect = DURATION_MS / NUM_PEERS;
  for (const [i, ms] of got.entries()) t.true(Math.abs(ms - expect) < 1500, `peer ${i}: unchoked ${ms} ms, expected ${expect} ± 1500`);
  // Exactly one peer unchoked at any time: the durations add up to the whole run (minus the connect latency).
  t.true(Math.abs(got.reduce((a, b) => a + b, 0) - DURATION_MS) < 1500);
});

test('contrast: the BEP 3 reference choker\'s random optimistic draw (0 regular slots) is fair only on average', (t) => {
  const got = run(referenceChoker({ slots: 0 }), 1);
  const total = got.reduce((a, b) => a + b, 0);
  t.true(Math.abs(total - DURATION_MS) < 1500, 'one optimistic unchoke at a time');
  const spread = Math.max(...got) - Math.min(...got);
  t.log(`reference: per-peer unchoked time ${Math.min(...got) / 1000}–${Math.max(...got) / 1000} s (mean 90 s)`);
  t.true(spread > 3000, 'a random draw is not a round robin');
});
