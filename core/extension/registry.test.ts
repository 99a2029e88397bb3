import test from 'ava';
import { ProtocolError } from '../util/errors.js';
import { ExtensionRegistry } from './registry.js';

test('BEP10-HS-3: we send with the ids the peer chose, and read incoming ids with ours', (t) => {
  const r = new ExtensionRegistry({ ut_metadata: 3, ut_pex: 1 });
  t.deepEqual(r.localM(), { ut_metadata: 3, ut_pex: 1 });
  r.applyRemote({ m: { ut_metadata: 2, ut_pex: 7 } });
  t.is(r.remoteId('ut_metadata'), 2); // what WE put on outgoing ut_metadata messages
  t.is(r.nameForIncoming(3), 'ut_metadata'); // what the peer puts on messages to us
  t.is(r.nameForIncoming(2), undefined);
});

test('BEP10-HS-6: later handshakes update additively; 0 disables', (t) => {
  const r = new ExtensionRegistry();
  r.applyRemote({ m: { ut_metadata: 2, ut_pex: 1 } });
  r.applyRemote({ m: { lt_donthave: 9 } }); // additive: the others stay
  t.deepEqual(r.remoteNames().sort(), ['lt_donthave', 'ut_metadata', 'ut_pex']);
  r.applyRemote({ m: { ut_pex: 0, ut_metadata: 4 } });
  t.false(r.supports('ut_pex'));
  t.is(r.remoteId('ut_metadata'), 4);
});

test('BEP10-HS-2: our own ids must be 1..255 and must not collide', (t) => {
  t.throws(() => new ExtensionRegistry({ a: 1, b: 1 }), { instanceOf: ProtocolError });
  t.throws(() => new ExtensionRegistry({ a: 0 }), { instanceOf: ProtocolError });
  t.throws(() => new ExtensionRegistry({ a: 256 }), { instanceOf: ProtocolError });
});

test('remote tables are shared between connections with the same ids, and an update of one leaves the others alone', (t) => {
  const a = new ExtensionRegistry(), b = new ExtensionRegistry();
  a.applyRemote({ m: { ut_metadata: 2, ut_pex: 1 } });
  b.applyRemote({ m: { ut_metadata: 2, ut_pex: 1 } });
  t.is((a as unknown as { remote: unknown }).remote, (b as unknown as { remote: unknown }).remote); // one table for both
  a.applyRemote({ m: { ut_pex: 0, lt_donthave: 7 } });
  t.deepEqual(a.remoteNames(), ['ut_metadata', 'lt_donthave']);
  t.deepEqual(b.remoteNames(), ['ut_metadata', 'ut_pex'], 'b still sees what its peer said');
  t.is(b.remoteId('ut_pex'), 1);
  a.applyRemote({ m: { ut_metadata: 0, lt_donthave: 0 } });
  t.false(a.supports('ut_metadata'));
  t.deepEqual(a.remoteNames(), []);
});
