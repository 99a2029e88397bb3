import test from 'ava';
import { seededRandom } from '../util/prng.js';
import { sha1 } from '../util/sha1.js';
import { MetadataFetcher } from './fetcher.js';

function clock() { let t = 0; return { c: { now: () => t }, advance: (ms: number) => { t += ms; } }; }
const raw = seededRandom(1).bytes(50_000); // 4 pieces
const hash = sha1(raw);
const piece = (i: number) => raw.slice(i * 16384, (i + 1) * 16384);

test('fetcher: spreads pieces over peers, at most maxPerPeer each, and completes', (t) => {
  const { c } = clock();
  const f = new MetadataFetcher(hash, c, { maxPerPeer: 1 });
  f.addPeer('a', raw.length); f.addPeer('b', raw.length); f.addPeer('c', raw.length);
  const reqs = f.poll();
  t.deepEqual(reqs, [{ peer: 'a', piece: 0 }, { peer: 'b', piece: 1 }, { peer: 'c', piece: 2 }]);
  t.deepEqual(f.poll(), []); // everyone busy
  t.is(f.onData('a', 0, piece(0), raw.length).status, 'progress');
  t.deepEqual(f.poll(), [{ peer: 'a', piece: 3 }]);
  f.onData('b', 1, piece(1), raw.length);
  f.onData('c', 2, piece(2), raw.length);
  const done = f.onData('a', 3, piece(3), raw.length);
  t.is(done.status, 'complete');
  t.deepEqual(f.info, raw);
  t.deepEqual(f.poll(), []);
});

test('fetcher BEP9-MSG-2: a reject benches the peer and the piece goes to another', (t) => {
  const { c, advance } = clock();
  const f = new MetadataFetcher(hash, c, { maxPerPeer: 4, backoffMs: 30_000, requestTimeoutMs: 60_000 });
  f.addPeer('a', raw.length);
  t.is(f.poll().length, 4);
  f.onReject('a', 0);
  t.deepEqual(f.poll(), []); // 'a' is benched and nobody else is there
  f.addPeer('b', raw.length);
  t.deepEqual(f.poll(), [{ peer: 'b', piece: 0 }]);
  advance(30_000);
  f.onReject('a', 1);
  t.deepEqual(f.poll(), [{ peer: 'b', piece: 1 }]);
});

test('fetcher: a timed-out request is re-asked of another peer after the deadline', (t) => {
  const { c, advance } = clock();
  const f = new MetadataFetcher(hash, c, { maxPerPeer: 1, requestTimeoutMs: 5000 });
  f.addPeer('slow', raw.length); f.addPeer('fast', raw.length);
  t.deepEqual(f.poll(), [{ peer: 'slow', piece: 0 }, { peer: 'fast', piece: 1 }]);
  f.onData('fast', 1, piece(1), raw.length);
  t.deepEqual(f.poll(), [{ peer: 'fast', piece: 2 }]);
  t.is(f.nextDeadline(), 5000);
  f.onData('fast', 2, piece(2), raw.length);
  advance(5000);
  // piece 0 timed out with 'slow': the retry goes to 'fast', and 'fast' also gets piece 3 later.
  t.deepEqual(f.poll(), [{ peer: 'fast', piece: 0 }]);
  // A late answer from the slow peer is still welcome.
  t.is(f.onData('slow', 0, piece(0), raw.length).status, 'progress');
});

test('fetcher BEP9-META-1: a lone liar is banned on hash mismatch; honest peers finish', (t) => {
  const { c } = clock();
  const f = new MetadataFetcher(hash, c, { maxPerPeer: 4 });
  f.addPeer('liar', raw.length);
  for (const r of f.poll()) {
    const d = piece(r.piece); d[0] ^= 0xff;
    const ev = f.onData('liar', r.piece, d, raw.length);
    if (r.piece === 3) t.deepEqual(ev, { status: 'mismatch', banned: ['liar'] });
  }
  t.deepEqual(f.bannedPeers(), ['liar']);
  f.addPeer('honest', raw.length);
  const reqs = f.poll();
  t.true(reqs.every((r) => r.peer === 'honest'));
  let last;
  for (const r of reqs) last = f.onData('honest', r.piece, piece(r.piece), raw.length);
  t.is(last?.status, 'complete');
});

test('fetcher: peers advertising a minority metadata_size are not asked; malformed data is "bad"', (t) => {
  const { c } = clock();
  const f = new MetadataFetcher(hash, c, { maxPerPeer: 4 });
  f.addPeer('a', raw.length); f.addPeer('b', raw.length); f.addPeer('odd', 999_999);
  t.false(f.addPeer('huge', 9e9));
  const reqs = f.poll();
  t.false(reqs.some((r) => r.peer === 'odd'));
  t.is(f.onData('a', reqs[0].piece, new Uint8Array(3), raw.length).status, 'bad');
});
