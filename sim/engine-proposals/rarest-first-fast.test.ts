import test from 'ava';
import fc from 'fast-check';
import { PieceState } from '../../core/torrent/piece-state.js';
import { seededRandom } from '../../core/util/prng.js';
import type { PickerPeer } from '../../core/plugin-api/picker.js';
import { rarestFirstPicker } from '../../plugins/pickers/rarest-first.js';
import { rarestFirstFastPicker } from './rarest-first-fast.js';
import { runScenario } from '../scenario/run.js';
import { makeScenario } from '../scenario/types.js';
import { resultJson } from '../scenario/io.js';

const BLOCK = 16384;

/** A random download state: haves, availability, partial pieces with requested/received blocks, and a peer. */
const stateArb = fc.record({
  pieces: fc.integer({ min: 1, max: 200 }),
  blocksPerPiece: fc.integer({ min: 1, max: 8 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  pHave: fc.double({ min: 0, max: 1, noNaN: true }),
  pPeerHas: fc.double({ min: 0, max: 1, noNaN: true }),
  partials: fc.integer({ min: 0, max: 20 }),
  choking: fc.boolean(),
  max: fc.integer({ min: 1, max: 40 }),
  randomFirst: fc.integer({ min: 0, max: 8 }),
  endgameAll: fc.boolean(),
});

test('rarest-first-fast: the same picks as plugins/pickers/rarest-first.ts, draw for draw (property)', (t) => {
  fc.assert(fc.property(stateArb, (a) => {
    const r = seededRandom(a.seed);
    const pieceLength = a.blocksPerPiece * BLOCK;
    const geo = { pieceLength, totalLength: pieceLength * a.pieces - (r.int(2) ? 1000 : 0), pieceCount: a.pieces };
    const have = Array.from({ length: a.pieces }, () => r.float() < a.pHave);
    const view = new PieceState(geo, have);
    for (let i = 0; i < a.pieces; i++) { const n = r.int(6); for (let k = 0; k < n; k++) view.addAvailability(i, 1); }
    const requested = new Set<string>();
    for (let k = 0; k < a.partials; k++) {
      const i = r.int(a.pieces);
      if (view.have(i)) continue;
      const b = r.int(view.blockCount(i));
      if (r.int(2)) view.requested(i, b); else view.received(i, b, 'x');
      if (r.int(3) === 0) requested.add(`${i}:${b}`);
    }
    if (a.endgameAll) for (let i = 0; i < a.pieces; i++) if (!view.have(i)) for (let b = 0; b < view.blockCount(i); b++) if (view.blockState(i, b) === 0) view.requested(i, b);
    const has = Array.from({ length: a.pieces }, () => r.float() < a.pPeerHas);
    const fast = new Set<number>();
    for (let k = 0; k < 3; k++) fast.add(r.int(a.pieces));
    const peer: PickerPeer = {
      id: 'p', has: (i) => has[i], haveCount: has.filter(Boolean).length, downloadRate: 0, pending: 0,
      hasRequested: (i, b) => requested.has(`${i}:${b}`), allowedFast: fast, choking: a.choking,
    };
    const slow = rarestFirstPicker({ randomFirst: a.randomFirst }).pick(view, peer, a.max, seededRandom(a.seed + 1));
    const quick = rarestFirstFastPicker({ randomFirst: a.randomFirst });
    const got = quick.pick(view, peer, a.max, seededRandom(a.seed + 1));
    // Twice with the same instance: the reused stamp array must not leak between calls.
    const again = quick.pick(view, peer, a.max, seededRandom(a.seed + 1));
    t.deepEqual(got, slow);
    t.deepEqual(again, slow);
  }), { numRuns: 400 });
});

test('rarest-first-fast: a simulated swarm gives a byte-identical result with either picker', (t) => {
  const s = makeScenario({ peers: 20, fileBytes: 4 * 1024 * 1024, seed: 5 });
  const a = runScenario(s);
  const b = runScenario(s, { picker: (name, options) => (name === 'rarest' ? rarestFirstFastPicker(options) : undefined) });
  t.is(a.summary.completed, 20);
  t.is(resultJson(b), resultJson(a));
});
