import test from 'ava';
import { PeerConn, type PeerOwner } from './peer-conn.js';
import type { PeerLink } from '../seam/net.js';

const link = (port: number) => ({ remote: { host: '10.0.0.9', port } }) as unknown as PeerLink;
const owner = { now: () => 0 } as unknown as PeerOwner;

test('peer conn: allowed-fast sets start as one shared empty set and become per-connection on the first offer (BEP 6)', (t) => {
  const a = new PeerConn(link(1), owner, 16, true);
  const b = new PeerConn(link(2), owner, 16, true);
  t.is(a.allowedFast, b.allowedFast, 'shared while empty');
  t.is(a.allowedFast.size, 0);
  a.addAllowedFast(3);
  a.addAllowedFast(5);
  t.deepEqual([...a.allowedFast], [3, 5]);
  t.is(b.allowedFast.size, 0, 'the other connection (and the shared empty set) untouched');
  b.addAllowedFast(7);
  t.deepEqual([...b.allowedFast], [7]);
  t.deepEqual([...a.allowedFast], [3, 5]);
  t.is(new PeerConn(link(3), owner, 16, false).allowedFast.size, 0);
});

test('peer conn: the key is host:port, one shared string per address', (t) => {
  const a = new PeerConn(link(6881), owner, 8, true);
  const b = new PeerConn(link(6881), owner, 8, false);
  t.is(a.key, '10.0.0.9:6881');
  t.is(a.key, b.key);
});
