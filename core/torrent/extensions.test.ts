import test from 'ava';
import { PeerConn, type PeerOwner } from '../peer/peer-conn.js';
import type { PeerLink } from '../seam/net.js';
import { encodeExtHandshake } from '../extension/handshake.js';
import { encodePexMessage } from '../pex/codec.js';
import { ProtocolError } from '../util/errors.js';
import { readExtended } from './extensions.js';

const link = (port: number) => ({ remote: { host: '10.0.0.9', port } }) as unknown as PeerLink;
const owner = { now: () => 0 } as unknown as PeerOwner;
const conn = (port: number) => new PeerConn(link(port), owner, 8, true);

test('BEP 10: one handshake payload received on two connections is decoded once, frozen, and applied to each', (t) => {
  const payload = encodeExtHandshake({ m: { ut_metadata: 3, ut_pex: 4 }, p: 7000, v: 'x/1', reqq: 100 });
  const a = conn(1), b = conn(2);
  const ea = readExtended(a, 0, payload), eb = readExtended(b, 0, payload);
  t.true(ea?.kind === 'handshake' && eb?.kind === 'handshake');
  if (ea?.kind !== 'handshake' || eb?.kind !== 'handshake') return;
  t.is(ea.h, eb.h, 'the same decoded object');
  t.true(Object.isFrozen(ea.h) && Object.isFrozen(ea.h.m));
  for (const c of [a, b]) { t.is(c.ext.remoteId('ut_pex'), 4); t.is(c.listenPort, 7000); t.is(c.reqq, 100); t.is(c.clientName, 'x/1'); }
  // Equal bytes in another buffer (a real socket's case) decode on their own, to an equal result.
  const copy = readExtended(conn(3), 0, payload.slice());
  t.true(copy?.kind === 'handshake' && copy.h !== ea.h);
  t.deepEqual(copy?.kind === 'handshake' ? copy.h.m : null, { ut_metadata: 3, ut_pex: 4 });
});

test('BEP 11: a shared PEX payload is decoded once; a malformed one fails on every connection (nothing cached)', (t) => {
  const hs = encodeExtHandshake({ m: { ut_pex: 9 } });
  const a = conn(1), b = conn(2);
  readExtended(a, 0, hs);
  readExtended(b, 0, hs);
  const payload = encodePexMessage({ added: [{ addr: { host: '10.1.2.3', port: 6881 }, flags: 0x10 }], dropped: [] });
  const pa = readExtended(a, 2, payload), pb = readExtended(b, 2, payload); // 2: our local ut_pex id
  t.true(pa?.kind === 'ut_pex' && pb?.kind === 'ut_pex');
  if (pa?.kind !== 'ut_pex' || pb?.kind !== 'ut_pex') return;
  t.is(pa.msg, pb.msg);
  t.true(Object.isFrozen(pa.msg) && Object.isFrozen(pa.msg.added));
  t.deepEqual(pa.msg.added.map((p) => `${p.addr.host}:${p.addr.port}`), ['10.1.2.3:6881']);
  const bad = new TextEncoder().encode('d5:added5:12345e'); // 5 bytes: not a multiple of 6
  t.throws(() => readExtended(a, 2, bad), { instanceOf: ProtocolError });
  t.throws(() => readExtended(b, 2, bad), { instanceOf: ProtocolError });
});
