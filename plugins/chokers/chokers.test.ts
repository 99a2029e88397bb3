import test from 'ava';
import type { ChokerContext, ChokerPeer } from '../../core/plugin-api/choker.js';
import { seededRandom } from '../../core/util/prng.js';
import { referenceChoker } from './reference.js';
import { SeedRanker, antiLeechScore } from './seed-modes.js';
import { fixedSlotsChoker, libtorrentChoker, rateBasedSlots } from './libtorrent.js';
import { bitTyrantChoker } from './bittyrant.js';
import { propShareChoker, weightedSample } from './propshare.js';

const peer = (i: number, p: Partial<ChokerPeer> & { progress?: number } = {}): ChokerPeer => ({
  id: `10.0.0.${i}:6881`, interested: true, choked: true, downloadRate: 0, uploadRate: 0, downloaded: 0, uploaded: 0,
  connectedAt: 0, lastUnchokedAt: -Infinity, isSeed: false, snubbed: false, ...p,
});
const ctx = (now: number, seeding = false, round = 0): ChokerContext => ({ now, seeding, round, rng: seededRandom(round + 1) });
const ids = (s: Set<string>) => [...s].map((x) => Number(x.split('.')[3].split(':')[0])).sort((a, b) => a - b);

test('BEP3-CHOKE-1 choker:reference: 4 best downloaders + 1 optimistic; seeding ranks by upload rate', (t) => {
  const peers = [1, 2, 3, 4, 5, 6].map((i) => peer(i, { downloadRate: i * 100, uploadRate: (7 - i) * 100 }));
  const out = referenceChoker().rechoke(peers, ctx(0));
  t.is(out.size, 5);
  t.true([3, 4, 5, 6].every((i) => ids(out).includes(i)));
  const seed = referenceChoker().rechoke(peers, ctx(0, true));
  t.true([1, 2, 3, 4].every((i) => ids(seed).includes(i)));
});

test('seed mode round-robin (libtorrent): a peer that used its quota for a minute yields its slot to the longest waiting', (t) => {
  const r = new SeedRanker({ mode: 'round-robin', quotaBytes: 1000, quotaMinMs: 60_000 });
  const a0 = peer(1, { uploaded: 0 });
  r.observe([a0]);
  // a was unchoked at t=0 and has since received 5000 bytes: its turn is over after 60 s.
  const a = peer(1, { choked: false, lastUnchokedAt: 0, uploaded: 5000, uploadRate: 500 });
  const b = peer(2, { lastUnchokedAt: -Infinity });
  r.observe([a, b]);
  t.false(r.quotaComplete(a, 30_000));
  t.deepEqual([a, b].sort(r.comparator(ctx(30_000, true))).map((p) => p.id), [a.id, b.id], 'still its turn: keep it');
  t.true(r.quotaComplete(a, 61_000));
  t.deepEqual([a, b].sort(r.comparator(ctx(61_000, true))).map((p) => p.id), [b.id, a.id]);
});

test('seed mode anti-leech (Chow et al.): newcomers and nearly-done peers first; fastest-upload ties by waiting', (t) => {
  t.is(antiLeechScore(peer(1, { progress: 0 } as never)), 1000);
  t.is(antiLeechScore(peer(1, { progress: 0.5 } as never)), 0);
  t.is(antiLeechScore(peer(1, { isSeed: true })), 1000);
  const r = new SeedRanker({ mode: 'anti-leech', quotaBytes: 0, quotaMinMs: 0 });
  const mid = peer(1, { progress: 0.5 } as never), fresh = peer(2, { progress: 0.05 } as never), done = peer(3, { progress: 0.9 } as never);
  t.deepEqual([mid, done, fresh].sort(r.comparator(ctx(0, true))).map((p) => p.id), [fresh.id, done.id, mid.id]);
  const f = new SeedRanker({ mode: 'fastest-upload', quotaBytes: 0, quotaMinMs: 0 });
  const x = peer(1, { uploadRate: 10, lastUnchokedAt: 500 }), y = peer(2, { uploadRate: 10, lastUnchokedAt: 100 });
  t.deepEqual([x, y].sort(f.comparator(ctx(0, true))).map((p) => p.id), [y.id, x.id]);
});

test('choker:rate-based slot count (libtorrent rate_based_choker): peers above 1 KiB/s + 2 KiB/s per slot, plus one', (t) => {
  const rates = (...r: number[]) => r.map((u, i) => peer(i, { uploadRate: u }));
  // Thresholds for the 1st, 2nd, 3rd fastest: 1024, 3072, 5120 B/s.
  t.is(rateBasedSlots(rates(), 1024, 2048), 1, 'always one slot');
  t.is(rateBasedSlots(rates(5000, 3000, 1000), 1024, 2048), 2, '3000 < 3072 stops the count');
  t.is(rateBasedSlots(rates(100, 4000, 8000, 6000), 1024, 2048), 3, 'sorted fastest first: 8000, 6000 count; 4000 < 5120');
  t.is(rateBasedSlots(rates(9000, 9000, 9000, 9000), 1024, 2048), 5);
});

test('choker:fixed slots=1 optimisticSlots=1 (libtorrent): only the optimistic slot, rotated to whoever waited longest', (t) => {
  const c = libtorrentChoker({ slots: 1, optimisticSlots: 1, intervalMs: 10_000, optimisticIntervalMs: 30_000 });
  const peers = [1, 2, 3, 4].map((i) => peer(i, { downloadRate: i * 1000 }));
  const seen: number[] = [];
  for (let round = 0; round < 24; round++) {
    const out = c.rechoke(peers, ctx(round * 10_000, false, round));
    t.is(out.size, 1);
    if (round % 3 === 0) seen.push(ids(out)[0]);
  }
  // 8 rotations over 4 peers: each twice, a full cycle before any repeats.
  t.deepEqual([...seen.slice(0, 4)].sort(), [1, 2, 3, 4]);
  t.deepEqual(seen.slice(4), seen.slice(0, 4));
  t.is(fixedSlotsChoker.maxUnchoked!({ slots: 6 }), 6);
});

test('BitTyrant: u_p grows ×1.2 when not reciprocated, shrinks ×0.9 after 3 reciprocated rounds; budget bounds the set', (t) => {
  const c = bitTyrantChoker({ capacity: 50_000, initialUp: 16_000 });
  const a = peer(1), b = peer(2), d = peer(3), e = peer(4);
  const first = c.rechoke([a, b, d, e], ctx(0));
  t.is(first.size, 3, '3 × 16 000 fits in 50 000, a 4th does not');
  // Round 2: the unchoked ones: 1 reciprocates, the others do not.
  const view = (p: ChokerPeer, down: number) => ({ ...p, choked: !first.has(p.id), downloadRate: first.has(p.id) ? down : 0 });
  c.rechoke([view(a, 20_000), view(b, 0), view(d, 0), view(e, 0)], ctx(10_000));
  const unrec = [...first].find((id) => id !== a.id)!;
  t.is(Math.round(c.estimate(unrec)!), 19_200);
  if (first.has(a.id)) {
    for (let r = 2; r <= 3; r++) c.rechoke([{ ...a, choked: false, downloadRate: 20_000 }, b, d, e], ctx(r * 10_000));
    t.is(Math.round(c.estimate(a.id)!), 14_400);
  }
  // The best return on investment comes first: a gives 20 kB/s.
  t.true(c.rechoke([{ ...a, choked: false, downloadRate: 20_000 }, b, d, e], ctx(50_000)).has(a.id));
});

test('BitTyrant: "reciprocated" is the peer unchoking us (peerChoking), and d_p of a silent peer comes from its have rate / 4', (t) => {
  // u_p learning by the unchoke bit: a peer that unchokes us but has nothing for us yet is
  // reciprocating (its u_p is not raised); one that keeps us choked while sending nothing is not.
  const c = bitTyrantChoker({ capacity: 100_000, initialUp: 16_000 });
  const a = peer(1, { peerChoking: false }), b = peer(2, { peerChoking: true });
  c.rechoke([a, b], ctx(0));
  c.rechoke([{ ...a, choked: false }, { ...b, choked: false }], ctx(10_000));
  t.is(c.estimate(a.id), 16_000, 'unchokes us: reciprocated (streak 1 of 3, u_p unchanged)');
  t.is(Math.round(c.estimate(b.id)!), 19_200, 'keeps us choked: ×1.2');
  // d_p estimate: neither peer has sent us data; the one whose progress grows faster is the
  // better buy. 100 MiB torrent: +10 % in 10 s = 1 MiB/s of haves, / 4 slots ≈ 262 kB/s.
  const c2 = bitTyrantChoker({ capacity: 16_000, initialUp: 16_000 });
  const torrentBytes = 100 * 2 ** 20;
  const slow = peer(3, { progress: 0.1 }), fast = peer(4, { progress: 0.1 });
  c2.rechoke([slow, fast], { ...ctx(0), torrentBytes });
  const out = c2.rechoke([{ ...slow, progress: 0.11 }, { ...fast, progress: 0.2 }], { ...ctx(10_000), torrentBytes });
  t.deepEqual([...out], [fast.id], 'budget for one: the faster-progressing peer');
});

test('PropShare: slots go to contributors in proportion to what they gave (lottery over rounds)', (t) => {
  const c = propShareChoker({ slots: 1, optimisticSlots: 0 });
  let big = 0, small = 0;
  let dl = { a: 0, b: 0 };
  for (let r = 0; r < 400; r++) {
    dl = { a: dl.a + 3000, b: dl.b + 1000 };
    const out = c.rechoke([peer(1, { downloaded: dl.a }), peer(2, { downloaded: dl.b })], { now: r * 10_000, seeding: false, round: r, rng: seededRandom(r) });
    if (r === 0) continue; // first round: no contribution measured yet
    if (out.has(peer(1).id)) big++;
    if (out.has(peer(2).id)) small++;
  }
  t.is(big + small, 399);
  t.true(Math.abs(big / 399 - 0.75) < 0.07, `share of slot-time ${big / 399} ≈ 3/4`);
  // Few contributors: all of them, plus optimistic newcomers.
  const c2 = propShareChoker({ slots: 4, optimisticSlots: 1 });
  c2.rechoke([peer(1), peer(2), peer(3)], ctx(0));
  const out = c2.rechoke([peer(1, { downloaded: 10 }), peer(2), peer(3)], ctx(10_000));
  t.true(out.has(peer(1).id));
  t.is(out.size, 3);
  t.deepEqual(weightedSample([1, 2, 3], () => 1, 5, () => 0.5).sort(), [1, 2, 3]);
});
