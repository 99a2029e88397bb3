/**
 * The empty-pick memo in fillRequests (PiecePicker.pick's contract): a picker that found
 * nothing for a peer is not asked again until something could make a block pickable, and is
 * asked again as soon as it could. Driven with a real PieceState and a counting picker; the
 * torrent and the connection are the minimal shapes fillRequests reads.
 */
import test from 'ava';
import { fillRequests } from './downloading.js';
import { PieceState } from './piece-state.js';
import { defaultEngineConfig } from './config.js';
import { RateMeter } from '../peer/rate.js';
import { OutstandingRequests } from '../peer/outstanding.js';
import { seededRandom } from '../util/prng.js';
import type { BlockRef, PiecePicker } from '../plugin-api/picker.js';
import type { Torrent } from './torrent.js';
import type { PeerConn } from '../peer/peer-conn.js';

function setup() {
  // 4 pieces of 2 blocks each.
  const pieces = new PieceState({ pieceLength: 32 * 1024, totalLength: 4 * 32 * 1024, pieceCount: 4 }, null);
  let calls = 0;
  let answer: BlockRef[] = [];
  const picker: PiecePicker = { pick: () => { calls++; return answer; } };
  const sent: unknown[] = [];
  const t = {
    config: defaultEngineConfig, pieces, picker, rng: seededRandom(1), now: () => 0, ticks: 0,
    store: {}, suspectPieces: new Set<number>(),
  } as unknown as Torrent;
  const p = {
    key: 'peer', ready: true, closed: false, amInterested: true, peerChoking: false, allowedFast: new Set<number>(),
    outstanding: new OutstandingRequests(), down: new RateMeter(0), reqq: 250, has: new Uint8Array([0b1100_0000]), hasCount: 2, pieceCount: 4,
    hasPiece: (i: number) => i < 2,
    emptyPick: null, owner: t, send: (m: unknown) => sent.push(m),
  } as unknown as PeerConn;
  return { t, p, pieces, sent, calls: () => calls, setAnswer: (a: BlockRef[]) => { answer = a; } };
}

test('fillRequests: an empty pick is remembered until a block comes back, a piece completes, the peer gains a piece, its choke state moves, or the tick', (t) => {
  const s = setup();
  fillRequests(s.t, s.p);
  t.is(s.calls(), 1);
  fillRequests(s.t, s.p); fillRequests(s.t, s.p);
  t.is(s.calls(), 1, 'nothing changed: not asked again');

  s.p.hasCount++; // a have arrived
  fillRequests(s.t, s.p);
  t.is(s.calls(), 2, 'the peer announced a piece');

  s.pieces.requested(2, 0); // someone else's request…
  fillRequests(s.t, s.p);
  t.is(s.calls(), 2, 'a block going Missing → Requested cannot create a candidate');
  s.pieces.unrequested(2, 0); // …given back (choke, reject, timeout)
  fillRequests(s.t, s.p);
  t.is(s.calls(), 3, 'a block back to Missing');

  s.p.peerChoking = true; (s.p.allowedFast as Set<number>).add(3);
  fillRequests(s.t, s.p);
  t.is(s.calls(), 4, 'choke / allowed-fast state');

  (s.t as unknown as { ticks: number }).ticks++;
  fillRequests(s.t, s.p);
  t.is(s.calls(), 5, 'at most one tick of trust, for pickers that answer from time or chance');

  s.pieces.requested(0, 0); s.pieces.received(0, 0, 'x'); s.pieces.requested(0, 1); s.pieces.received(0, 1, 'x'); s.pieces.verified(0);
  fillRequests(s.t, s.p);
  t.is(s.calls(), 6, 'a piece verified');

  // A non-empty answer clears the memo and sends the requests.
  s.p.peerChoking = false;
  s.setAnswer([{ index: 1, block: 0 }]);
  (s.t as unknown as { ticks: number }).ticks++;
  fillRequests(s.t, s.p);
  t.is(s.calls(), 7);
  t.is(s.p.emptyPick, null);
  t.deepEqual(s.sent, [{ type: 'request', index: 1, begin: 0, length: 16384 }]);
});

test('fillRequests: in endgame (no Missing block left) an empty pick is never trusted', (t) => {
  const s = setup();
  for (let i = 0; i < 4; i++) for (let b = 0; b < 2; b++) s.pieces.requested(i, b);
  t.is(s.pieces.missingUnrequestedBlocks, 0);
  fillRequests(s.t, s.p); fillRequests(s.t, s.p); fillRequests(s.t, s.p);
  t.is(s.calls(), 3);
});
