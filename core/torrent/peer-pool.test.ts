import test from 'ava';
import fc from 'fast-check';
import { PeerPool } from './peer-pool.js';

const A = (port: number) => ({ host: '10.0.0.1', port });

test('peer pool: fresh addresses are dialled before retries of failed ones', (t) => {
  const pool = new PeerPool(10_000, new Set());
  pool.add([A(1), A(2)], 'tracker', 0);
  t.deepEqual(pool.next(0), A(1));
  pool.disconnected(A(1), true, 0); // timed out: retry after back-off
  pool.add([A(3)], 'pex', 1);
  t.deepEqual(pool.next(20_000), A(2));
  t.deepEqual(pool.next(20_000), A(3), 'the new PEX address before the retry of A(1)');
  t.deepEqual(pool.next(20_000), A(1));
  t.is(pool.next(20_000), undefined);
});

test('peer pool: a failed address named again by a tracker is retried at once; PEX does not revive it', (t) => {
  const pool = new PeerPool(10_000, new Set());
  pool.add([A(1)], 'tracker', 0);
  pool.next(0);
  pool.disconnected(A(1), true, 0);
  t.is(pool.next(1), undefined, 'backing off');
  t.is(pool.add([A(1)], 'pex', 2), 0);
  t.is(pool.next(2), undefined);
  t.is(pool.add([A(1)], 'http-tracker', 3), 0, 'already queued for retry: only its back-off is reset');
  t.deepEqual(pool.next(3), A(1));
});

test('peer pool: BEP 11 dropped forgets PEX-only addresses that are not connected', (t) => {
  const pool = new PeerPool(10_000, new Set());
  pool.add([A(1), A(2)], 'pex', 0);
  pool.add([A(3)], 'tracker', 0);
  pool.dropped([A(1), A(3)]);
  t.deepEqual(pool.next(0), A(2));
  t.deepEqual(pool.next(0), A(3), 'a tracker address is kept');
  t.is(pool.next(0), undefined, 'A(1) is gone');
  t.is(pool.knownCount, 2);
});

test('peer pool: self and banned addresses are never dialled; a connected address is not dialled twice', (t) => {
  const pool = new PeerPool(10_000, new Set(['10.0.0.1:9']));
  pool.add([A(9), A(1)], 'tracker', 0);
  pool.ban(A(1));
  t.is(pool.next(0), undefined);
  pool.add([A(2)], 'tracker', 0);
  pool.markConnected(A(2));
  t.is(pool.next(0), undefined);
});

test('peer pool: an address that turned out to be ourselves is forgotten and never dialled again', (t) => {
  const pool = new PeerPool(10_000, new Set());
  pool.add([A(1), A(2)], 'pex', 0);
  t.deepEqual(pool.next(0), A(1)); // dialled: our own peer id answers
  pool.markSelf(A(1));
  pool.disconnected(A(1), true, 0); // the close that follows finds nothing to retry
  t.is(pool.knownCount, 1);
  t.is(pool.add([A(1)], 'tracker', 1), 0, 'named again: still ourselves');
  t.deepEqual(pool.next(100_000), A(2));
  t.is(pool.next(100_000), undefined);
});

test('peer pool: back-off doubles per failure and stops after five; forgotten slots are reused without mixing addresses up', (t) => {
  const pool = new PeerPool(1000, new Set());
  pool.add([A(1)], 'tracker', 0);
  let now = 0;
  t.deepEqual(pool.next(now), A(1));
  for (const wait of [1000, 2000, 4000, 8000, 16000]) {
    pool.disconnected(A(1), true, now);
    t.is(pool.next(now + wait - 1), undefined, `still backing off ${wait} ms`);
    now += wait;
    t.deepEqual(pool.next(now), A(1));
  }
  pool.disconnected(A(1), true, now); // the sixth failure: given up
  t.is(pool.next(now + 1e9), undefined);
  t.is(pool.knownCount, 1);
  // Slots freed by BEP 11 dropped are reused: many PEX addresses in and out, every answer is one we added.
  const p2 = new PeerPool(1000, new Set());
  for (let round = 0; round < 5; round++) {
    const batch = Array.from({ length: 40 }, (_, i) => ({ host: `10.1.${round}.${i}`, port: 6881 }));
    p2.add(batch, 'pex', 0);
    p2.dropped(batch.slice(0, 30));
  }
  t.is(p2.knownCount, 5 * 10);
  const seen = new Set<string>();
  for (let a = p2.next(0); a; a = p2.next(0)) seen.add(`${a.host}:${a.port}`);
  t.is(seen.size, 50);
  for (const k of seen) t.true(Number(k.split('.')[3].split(':')[0]) >= 30, k);
});

test('peer pool: bounded — a full pool forgets an address it is not connected to, a failed one first, never a connected one', (t) => {
  const pool = new PeerPool(10_000, new Set(), 4);
  pool.add([A(1), A(2), A(3), A(4)], 'tracker', 0);
  t.is(pool.knownCount, 4);
  t.deepEqual(pool.next(0), A(1)); // connected
  t.deepEqual(pool.next(0), A(2));
  pool.disconnected(A(2), true, 0); // failed once
  t.is(pool.add([A(5)], 'pex', 1), 1);
  t.is(pool.knownCount, 4, 'still at the bound');
  const dialled: number[] = [];
  for (let a = pool.next(100_000); a; a = pool.next(100_000)) dialled.push(a.port);
  t.deepEqual(dialled.sort(), [3, 4, 5], 'A(2), the failed one, was forgotten; A(1) is connected');
  // Everything connected: nothing can be forgotten, the newcomer is not kept.
  t.is(pool.add([A(6)], 'pex', 2), 0);
  t.is(pool.knownCount, 4);
  // A connection ends: its address can go now.
  pool.disconnected(A(3), false, 3);
  t.is(pool.add([A(6)], 'pex', 4), 1);
  t.deepEqual(pool.next(100_000), A(6));
});

test('peer pool: under a stream of new addresses the bound holds and every connected address survives (property)', (t) => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 300 }), fc.boolean()), { maxLength: 400 }), (max, ops) => {
    const pool = new PeerPool(1000, new Set(), max);
    const connected = new Set<number>();
    let now = 0;
    for (const [port, dial] of ops) {
      now += 10;
      pool.add([A(port)], 'pex', now);
      if (dial) {
        const a = pool.next(now);
        if (a) connected.add(a.port);
      }
      if (pool.knownCount > Math.max(max, connected.size)) return false;
    }
    // Connected addresses were never forgotten: once disconnected, each comes back for a redial.
    for (const p of connected) pool.disconnected(A(p), false, now);
    const redialled = new Set<number>();
    for (let a = pool.next(now + 1e9); a; a = pool.next(now + 1e9)) redialled.add(a.port);
    return [...connected].every((p) => redialled.has(p));
  }), { numRuns: 300 });
  t.pass();
});

test('peer pool: its address index stays consistent under adds, PEX drops, evictions, dials and disconnects (property)', (t) => {
  type Op = [kind: number, port: number, flag: boolean];
  fc.assert(fc.property(fc.integer({ min: 1, max: 64 }), fc.array(fc.tuple(fc.nat(4), fc.integer({ min: 1, max: 120 }), fc.boolean()), { maxLength: 500 }), (max, ops: Op[]) => {
    const pool = new PeerPool(1000, new Set(), max);
    const inner = pool as unknown as { entries: ({ key: string; hash: number } | undefined)[]; index: Int32Array; find(e: { key: string; hash: number }): number };
    let now = 0;
    for (const [kind, port, flag] of ops) {
      now += 7;
      if (kind === 0 || kind === 1) pool.add([A(port), A(port + 1)], flag ? 'pex' : 'tracker', now);
      else if (kind === 2) pool.dropped([A(port)]);
      else if (kind === 3) pool.next(now + (flag ? 1e9 : 0));
      else pool.disconnected(A(port), flag, now);
      // Invariants: every stored address is found at its own slot; the index holds exactly them.
      let live = 0;
      for (let s = 0; s < inner.entries.length; s++) {
        const e = inner.entries[s];
        if (e === undefined) continue;
        live++;
        if (inner.find(e) !== s) return false;
      }
      let indexed = 0;
      for (const s of inner.index) if (s >= 0) indexed++;
      if (live !== pool.knownCount || indexed !== live || live > max) return false;
    }
    return true;
  }), { numRuns: 300 });
  t.pass();
});
