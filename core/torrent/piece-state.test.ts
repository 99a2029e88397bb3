/**
 * PieceState's O(1) counters against a recount from the per-block states, under random
 * sequences of the engine's transitions (requested, unrequested, received, verified, failed):
 * the pickers' fast paths (missingBlocks, pieceArrays) and the engine's memo key (version)
 * must never drift from what the blocks say.
 */
import test from 'ava';
import fc from 'fast-check';
import { PieceState } from './piece-state.js';
import { BlockState } from '../plugin-api/picker.js';

const geo = { pieceLength: 64 * 1024, totalLength: 5 * 64 * 1024 - 10_000, pieceCount: 5 }; // 4 blocks, last piece 4 (short)

const op = fc.record({
  kind: fc.constantFrom('requested', 'unrequested', 'received', 'verified', 'failed'),
  piece: fc.nat(4),
  block: fc.nat(3),
});

test('missingBlocks and missingUnrequestedBlocks match a recount after any sequence of transitions', (t) => {
  fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
    const s = new PieceState(geo, null);
    for (const o of ops) {
      const b = Math.min(o.block, s.blockCount(o.piece) - 1);
      if (o.kind === 'requested') { if (!s.have(o.piece)) s.requested(o.piece, b); }
      else if (o.kind === 'unrequested') s.unrequested(o.piece, b);
      else if (o.kind === 'received') s.received(o.piece, b, 'x');
      else if (o.kind === 'verified') { if (s.isFull(o.piece)) s.verified(o.piece); }
      else s.failed(o.piece);
      let total = 0;
      for (let i = 0; i < geo.pieceCount; i++) {
        let missing = 0;
        for (let k = 0; k < s.blockCount(i); k++) if (s.blockState(i, k) === BlockState.Missing) missing++;
        if (s.missingBlocks(i) !== missing) return false;
        if (!s.have(i)) total += missing;
        if (s.pieceArrays().have[i] !== (s.have(i) ? 1 : 0)) return false;
      }
      if (s.missingUnrequestedBlocks !== total) return false;
    }
    return true;
  }), { numRuns: 300 });
  t.pass();
});

test('pieceArrays is live: availability and have follow the torrent', (t) => {
  const s = new PieceState(geo, null);
  const a = s.pieceArrays();
  s.addAvailability(2, 1);
  s.addAvailability(2, 1);
  for (let b = 0; b < 4; b++) s.received(1, b, 'x');
  s.verified(1);
  t.is(a.availability[2], 2);
  t.is(a.have[1], 1);
  t.is(a.wanted[3], 1);
  t.is(s.missingBlocks(1), 0);
  t.is(s.missingBlocks(0), 4);
});
