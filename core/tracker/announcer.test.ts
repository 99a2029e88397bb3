import test from 'ava';
import { TrackerError } from '../util/errors.js';
import { seededRandom } from '../util/prng.js';
import { TierAnnouncer } from './announcer.js';
import { fakeHost, fakeSourceContext } from './testing/fake-host.js';
import { TrackerTiers } from './tiers.js';
import type { AnnounceRequest, AnnounceResult, Done } from './types.js';

const S = 1000;

/** A scripted transport: each URL answers after `delayMs` with a result, an error, or never. */
function rig(tiers: string[][], behaviour: Record<string, 'ok' | 'fail' | 'silent' | ((r: AnnounceRequest) => AnnounceResult)>, seed = 1, delayMs = 100) {
  const host = fakeHost(seed);
  const { ctx, added, stats } = fakeSourceContext(host, tiers);
  const calls: Array<{ t: number; url: string; req: AnnounceRequest }> = [];
  const transport = (url: string, req: AnnounceRequest, done: Done<AnnounceResult>) => {
    calls.push({ t: host.time.now() / S, url, req });
    const b = behaviour[url] ?? 'fail';
    const h = host.timers.after(delayMs, () => {
      if (b === 'silent') return;
      if (b === 'fail') done(new TrackerError('refused'));
      else if (b === 'ok') done(null, { interval: 120, peers: [{ host: '10.0.0.1', port: 1 }] });
      else done(null, b(req));
    });
    return { cancel: () => h.cancel() };
  };
  const a = new TierAnnouncer(ctx, { name: 'source:test', accepts: (u) => u.startsWith('http'), transport });
  return { host, a, calls, added, stats, time: host.time };
}

test('BEP 12: each tier shuffled once, deterministically from the host Random; other schemes dropped', (t) => {
  const tiers = [['http://a', 'http://b', 'http://c', 'udp://x:1'], ['http://d', 'http://e']];
  const one = new TrackerTiers(tiers, seededRandom(5), (u) => u.startsWith('http')).snapshot();
  const two = new TrackerTiers(tiers, seededRandom(5), (u) => u.startsWith('http')).snapshot();
  t.deepEqual(one, two);
  t.deepEqual(one.map((x) => [...x].sort()), [['http://a', 'http://b', 'http://c'], ['http://d', 'http://e']]);
  const orders = new Set<string>();
  for (let s = 0; s < 30; s++) orders.add(new TrackerTiers(tiers, seededRandom(s)).snapshot()[0].join());
  t.true(orders.size > 1, 'shuffled, not fixed');
});

test('BEP 12: try in order, fail over within and across tiers, move the responder to the front of its tier', (t) => {
  const tiers = [['http://a1', 'http://a2'], ['http://b1', 'http://b2']];
  const { a, calls, time } = rig(tiers, { 'http://b2': 'ok' });
  const order = a.tiers.order();
  a.start();
  time.advanceTo(1 * S);
  t.deepEqual(calls.map((c) => c.url), order.slice(0, order.indexOf('http://b2') + 1));
  t.is(a.tiers.snapshot()[1][0], 'http://b2');
  // The next round still starts with tier 1 (BEP 12: always from the first tier).
  const n = calls.length;
  time.advanceTo(200 * S);
  t.deepEqual(calls.slice(n).map((c) => c.url), a.tiers.order().slice(0, a.tiers.order().indexOf('http://b2') + 1));
});

test('BEP3-TRK-3: started, then periodic (no event) every interval, completed at once, stopped on stop', (t) => {
  const { a, calls, time, added } = rig([['http://t']], { 'http://t': 'ok' });
  a.start();
  time.advanceTo(1 * S);
  t.like(calls[0], { t: 0, url: 'http://t' });
  t.is(calls[0].req.event, 'started');
  t.deepEqual(added[0], { peers: [{ host: '10.0.0.1', port: 1 }], source: 'source:test' });
  time.advanceTo(250 * S);
  t.deepEqual(calls.map((c) => [c.t, c.req.event]), [[0, 'started'], [120.1, 'none'], [240.2, 'none']]);
  a.completed();
  t.deepEqual(calls.map((c) => c.req.event).slice(-1), ['completed']);
  time.advanceTo(251 * S);
  let stopped = false;
  a.stop(() => { stopped = true; });
  const last = calls[calls.length - 1];
  t.is(last.req.event, 'stopped');
  t.is(last.req.numwant, 0);
  t.false(stopped);
  time.advance(1 * S);
  t.true(stopped);
  const before = calls.length;
  time.advanceTo(10_000 * S);
  t.is(calls.length, before, 'nothing after stop');
});

test('completed before started succeeded is not sent (the started announce carries left = 0 instead)', (t) => {
  const { a, calls, time, stats } = rig([['http://t']], { 'http://t': 'ok' });
  a.start();
  stats.left = 0;
  a.completed();
  time.advanceTo(1 * S);
  t.deepEqual(calls.map((c) => c.req.event), ['started']);
});

test('an event during an announce in flight goes out right after it', (t) => {
  const { a, calls, time } = rig([['http://t']], { 'http://t': 'ok' });
  a.start();
  time.advanceTo(1 * S);
  time.advanceTo(120.15 * S); // the periodic announce (sent at 120.1 s) is in flight
  a.completed();
  t.is(calls.length, 2);
  time.advanceTo(121 * S);
  t.deepEqual(calls.map((c) => c.req.event), ['started', 'none', 'completed']);
});

test('min interval is honoured; numwant from peersWanted, key constant, tracker id echoed', (t) => {
  let n = 0;
  const { a, calls, time } = rig([['http://t']], {
    'http://t': () => ({ interval: 5, minInterval: 60, peers: [], trackerId: new Uint8Array([n++]) }),
  });
  a.start();
  time.advanceTo(200 * S);
  t.deepEqual(calls.map((c) => c.t), [0, 60.1, 120.2, 180.3]);
  t.true(calls.every((c) => c.req.numwant === 40 && c.req.key === calls[0].req.key));
  t.is(calls[0].req.trackerId, undefined);
  t.deepEqual(calls.slice(1).map((c) => c.req.trackerId?.[0]), [0, 1, 2]);
});

test('back-off when every tracker fails: 15 s doubling (±10 % jitter), `started` retried each round', (t) => {
  const f = rig([['http://t']], {}); // unknown URLs refuse
  f.a.start();
  f.time.advanceTo(300 * S);
  const gaps = f.calls.slice(1).map((c, i) => c.t - f.calls[i].t - 0.1);
  t.true(gaps.length >= 4);
  [15, 30, 60, 120].forEach((g, i) => t.true(Math.abs(gaps[i] - g) <= g * 0.1 + 1e-9, `gap ${i}: ${gaps[i]}`));
  t.true(f.calls.every((c) => c.req.event === 'started'));
});

test('after a failed round, a tracker that comes back is used and back-off resets', (t) => {
  let up = false;
  const host = fakeHost(2);
  const { ctx } = fakeSourceContext(host, [['http://t']]);
  const sent: number[] = [];
  const a = new TierAnnouncer(ctx, {
    name: 'source:test', accepts: () => true,
    transport: (_u, _r, done) => {
      sent.push(host.time.now() / S);
      const h = host.timers.after(0, () => (up ? done(null, { interval: 100, peers: [] }) : done(new TrackerError('down'))));
      return { cancel: () => h.cancel() };
    },
  });
  a.start();
  host.time.advanceTo(10 * S);
  up = true;
  host.time.advanceTo(500 * S);
  // 0 fails, ~15 succeeds, then every 100 s.
  t.is(sent.length, 6);
  t.true(sent[1] > 13 && sent[1] < 17);
  t.deepEqual(sent.slice(2).map((x) => Math.round(x - sent[1])), [100, 200, 300, 400]);
});

test('stop before any tracker accepted `started` sends nothing and is done at once', (t) => {
  const r = rig([['http://s']], { 'http://s': 'silent' });
  r.a.start();
  let stopped = false;
  r.a.stop(() => { stopped = true; });
  t.true(stopped);
  t.is(r.calls.length, 1);
  r.time.advanceTo(10_000 * S);
  t.is(r.calls.length, 1);
});

test('stop waits at most stopTimeoutMs (5 s) for a tracker that no longer answers `stopped`', (t) => {
  let alive = true;
  const r = rig([['http://t']], {});
  const host = r.host;
  const { ctx } = fakeSourceContext(host, [['http://t']]);
  const sent: string[] = [];
  const a = new TierAnnouncer(ctx, {
    name: 'source:test', accepts: () => true,
    transport: (_url, req, done) => {
      sent.push(req.event);
      if (!alive) return { cancel() {} };
      const h = host.timers.after(100, () => done(null, { interval: 120, peers: [] }));
      return { cancel: () => h.cancel() };
    },
  });
  a.start();
  r.time.advanceTo(1 * S);
  alive = false;
  let doneAt = -1;
  a.stop(() => { doneAt = r.time.now(); });
  r.time.advanceTo(60 * S);
  t.deepEqual(sent, ['started', 'stopped']);
  t.is(doneAt, 6 * S);
});
