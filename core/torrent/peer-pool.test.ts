import test from 'ava';
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
