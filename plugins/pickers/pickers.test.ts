import test from 'ava';
import { BlockState } from '../../core/plugin-api/picker.js';
import { seededRandom } from '../../core/util/prng.js';
import { ModelPeer, ModelView } from '../contract/model.js';
import { sequentialPicker } from './sequential.js';
import { randomPicker } from './random.js';
import { randomFirstPickerPlugin } from './random-first.js';
import { endgamePicker, looseEndgamePickerPlugin, strictEndgamePickerPlugin } from './endgame.js';
import { streamingPicker } from './streaming.js';

/** n pieces of `blocks` blocks; a peer that has `has` (default all); availability per piece. */
function setup(n: number, blocks = 2, avail?: number[], has?: number[]) {
  const view = new ModelView(Array(n).fill(blocks));
  avail?.forEach((a, i) => { view.avail[i] = a; });
  const bits = new Uint8Array(n);
  for (const i of has ?? [...Array(n).keys()]) bits[i] = 1;
  return { view, peer: new ModelPeer('10.0.0.1:1', bits) };
}
const pieces = (refs: { index: number }[]) => [...new Set(refs.map((r) => r.index))];

test('picker:sequential: lowest missing piece first, blocks in order; start wraps around', (t) => {
  const { view, peer } = setup(6);
  view.markHave(0);
  t.deepEqual(sequentialPicker().pick(view, peer, 3, seededRandom(1)), [{ index: 1, block: 0 }, { index: 1, block: 1 }, { index: 2, block: 0 }]);
  t.deepEqual(pieces(sequentialPicker({ start: 4 }).pick(view, peer, 12, seededRandom(1))), [4, 5, 1, 2, 3]);
});

test('picker:random: deterministic for a seed, differs across seeds, finishes partial pieces first', (t) => {
  const { view, peer } = setup(40, 1);
  const a = pieces(randomPicker().pick(view, peer, 10, seededRandom(7)));
  t.deepEqual(a, pieces(randomPicker().pick(view, peer, 10, seededRandom(7))));
  t.notDeepEqual(a, pieces(randomPicker().pick(view, peer, 10, seededRandom(8))));
  const { view: v2, peer: p2 } = setup(40, 2);
  v2.request(33, 0); // piece 33 is partial: its other block comes first
  t.deepEqual(randomPicker().pick(v2, p2, 1, seededRandom(1)), [{ index: 33, block: 1 }]);
});

test('picker:random-first: random while fewer than N pieces are complete, then the rarest', (t) => {
  const avail = Array(30).fill(5);
  avail[17] = 1; // the rarest
  const { view, peer } = setup(30, 1, avail);
  const picker = randomFirstPickerPlugin.create({ randomPieces: 2 });
  const early = new Set<number>();
  for (let s = 0; s < 20; s++) early.add(picker.pick(view, peer, 1, seededRandom(s))[0].index);
  t.true(early.size > 3, 'random phase spreads over many pieces');
  view.markHave(0); view.markHave(1);
  for (let s = 0; s < 10; s++) t.is(picker.pick(view, peer, 1, seededRandom(s))[0].index, 17);
});

/** Piece 0: both blocks requested by someone else; piece 1: missing, but this peer lacks it. */
function endgameState() {
  const { view, peer } = setup(2, 2, [2, 1], [0]);
  view.request(0, 0); view.request(0, 1);
  return { view, peer };
}

test('picker:endgame-strict: no duplicates while any block is unrequested (Cohen 2003 end game)', (t) => {
  const { view, peer } = endgameState();
  t.true(view.missingUnrequestedBlocks > 0);
  t.deepEqual(strictEndgamePickerPlugin.create({}).pick(view, peer, 10, seededRandom(1)), []);
});

test('picker:endgame-strict: once everything is requested, asks for every outstanding block, any number of times', (t) => {
  const { view, peer } = setup(1, 3);
  for (let b = 0; b < 3; b++) { view.request(0, b); view.request(0, b); view.request(0, b); }
  t.is(view.missingUnrequestedBlocks, 0);
  t.deepEqual(strictEndgamePickerPlugin.create({}).pick(view, peer, 10, seededRandom(1)).map((r) => r.block), [0, 1, 2]);
  t.deepEqual(strictEndgamePickerPlugin.create({ maxDup: 3 }).pick(view, peer, 10, seededRandom(1)), []);
});

test('picker:endgame-loose: a peer with nothing fresh races busy blocks now, least-requested first, capped', (t) => {
  const { view, peer } = endgameState();
  view.request(0, 0); // block 0 now has 2 requests, block 1 has 1
  t.deepEqual(looseEndgamePickerPlugin.create({}).pick(view, peer, 10, seededRandom(1)), [{ index: 0, block: 1 }]);
  t.deepEqual(looseEndgamePickerPlugin.create({ maxDup: 3 }).pick(view, peer, 10, seededRandom(1)), [{ index: 0, block: 1 }, { index: 0, block: 0 }]);
  // Never a block already asked of this same peer.
  peer.outstanding.add('0:1');
  t.deepEqual(endgamePicker({ strict: false, maxDup: 3 }).pick(view, peer, 10, seededRandom(1)), [{ index: 0, block: 0 }]);
});

test('picker:streaming: the window in order from the playback position, rarest outside; seek moves it', (t) => {
  const avail = Array(20).fill(4);
  avail[15] = 1;
  const { view, peer } = setup(20, 1, avail);
  view.markHave(3);
  const p = streamingPicker({ position: 2, window: 4 });
  t.deepEqual(p.windowOf(view), { first: 2, end: 6 });
  const got = pieces(p.pick(view, peer, 5, seededRandom(1)));
  t.deepEqual(got.slice(0, 3), [2, 4, 5], 'window pieces in order (3 is had)');
  t.is(got[3], 15, 'then the rarest outside the window');
  p.seek(10);
  t.deepEqual(pieces(p.pick(view, peer, 2, seededRandom(1))), [10, 11]);
});

test('picker:streaming: busy blocks of the head piece are raced (time-critical), others are not', (t) => {
  const { view, peer } = setup(10, 2, undefined, [0, 1]);
  for (const i of [0, 1]) { view.request(i, 0); view.request(i, 1); }
  const got = streamingPicker({ window: 2, headDup: 2 }).pick(view, peer, 10, seededRandom(1));
  t.deepEqual(got, [{ index: 0, block: 0 }, { index: 0, block: 1 }]);
  t.deepEqual(streamingPicker({ window: 2, headDup: 1 }).pick(view, peer, 10, seededRandom(1)), []);
  t.is(view.blockState(1, 0), BlockState.Requested);
});
