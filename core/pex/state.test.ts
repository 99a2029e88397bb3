import test from 'ava';
import fc from 'fast-check';
import type { Address } from '../seam/net.js';
import { addressKey } from '../seam/net.js';
import { PexState, pexEntryFor } from './state.js';
import type { PexPeer } from './codec.js';

const peer = (i: number): PexPeer => ({ addr: { host: `10.0.${i >> 8}.${i & 255}`, port: 6881 }, flags: 0 });
const remote: Address = { host: '10.9.9.9', port: 6881 };

test('BEP 11: first message lists the connected peers (not the remote itself), then nothing until something changes', (t) => {
  const s = new PexState(remote);
  const m = s.poll(0, [peer(1), peer(2), { addr: remote, flags: 0 }]);
  t.deepEqual(m?.added.map((p) => p.addr.host), ['10.0.0.1', '10.0.0.2']);
  t.deepEqual(m?.dropped, []);
  t.is(s.poll(120_000, [peer(1), peer(2)]), null); // nothing changed: no empty message
});

test('BEP 11: at most one message a minute', (t) => {
  const s = new PexState(remote);
  t.truthy(s.poll(1000, [peer(1)]));
  t.is(s.poll(60_999, [peer(1), peer(2)]), null);
  t.deepEqual(s.poll(61_000, [peer(1), peer(2)])?.added.map((p) => p.addr.host), ['10.0.0.2']);
  t.is(s.nextDueAt(), 121_000);
});

test('BEP 11: after the first, at most 50 added and 50 dropped; the rest goes out later', (t) => {
  const s = new PexState(remote);
  const first = Array.from({ length: 120 }, (_, i) => peer(i));
  t.is(s.poll(0, first)?.added.length, 120); // first message: up to firstMaxAdded (200)
  const second = Array.from({ length: 120 }, (_, i) => peer(1000 + i)); // all new, all old dropped
  const m2 = s.poll(60_000, second)!;
  t.is(m2.added.length, 50);
  t.is(m2.dropped.length, 50);
  const m3 = s.poll(120_000, second)!;
  t.is(m3.added.length, 50);
  t.is(m3.dropped.length, 50);
  const m4 = s.poll(180_000, second)!;
  t.is(m4.added.length, 20);
  t.is(m4.dropped.length, 20);
  t.is(s.poll(240_000, second), null);
});

test('BEP 11 property: what the remote was told always converges to the connected set, within the limits', (t) => {
  fc.assert(fc.property(fc.array(fc.uniqueArray(fc.nat(300), { maxLength: 120 }), { minLength: 1, maxLength: 12 }), (rounds) => {
    const s = new PexState(remote);
    const told = new Set<string>();
    let now = 0;
    let sent = 0;
    for (const ids of rounds) {
      const m = s.poll(now, ids.map(peer));
      if (m) {
        t.true(m.added.length <= (sent === 0 ? 200 : 50) && m.dropped.length <= 50);
        for (const a of m.dropped) { t.true(told.has(addressKey(a))); told.delete(addressKey(a)); }
        for (const p of m.added) { t.false(told.has(addressKey(p.addr))); told.add(addressKey(p.addr)); }
        sent++;
      }
      now += 60_000;
    }
    const last = rounds[rounds.length - 1];
    for (let k = 0; k < 10; k++) { const m = s.poll(now, last.map(peer)); now += 60_000; if (!m) break; for (const a of m.dropped) told.delete(addressKey(a)); for (const p of m.added) told.add(addressKey(p.addr)); }
    t.deepEqual([...told].sort(), last.map((i) => addressKey(peer(i).addr)).sort());
  }), { numRuns: 200 });
});

test('BEP 11: receiving — a second message within 45 s is a flood and ignored; caps apply', (t) => {
  const s = new PexState(remote);
  const r1 = s.receive(0, { added: Array.from({ length: 300 }, (_, i) => peer(i)), dropped: [] });
  t.is(r1.added.length, 200);
  t.true(s.receive(30_000, { added: [peer(1)], dropped: [] }).flood);
  const r3 = s.receive(59_000, { added: [...Array.from({ length: 80 }, (_, i) => peer(i)), { addr: remote, flags: 0 }], dropped: [] });
  t.false(r3.flood);
  t.is(r3.added.length, 50);
});

test('pexEntryFor: outgoing peers are reachable at their address; incoming only with a listen port', (t) => {
  t.deepEqual(pexEntryFor({ remote: { host: '1.2.3.4', port: 5000 }, outgoing: true, isSeed: true }), { addr: { host: '1.2.3.4', port: 5000 }, flags: 0x12, key: '1.2.3.4:5000' });
  t.is(pexEntryFor({ remote: { host: '1.2.3.4', port: 40000 }, outgoing: false }), null);
  t.deepEqual(pexEntryFor({ remote: { host: '1.2.3.4', port: 40000 }, outgoing: false, listenPort: 6881 }), { addr: { host: '1.2.3.4', port: 6881 }, flags: 0, key: '1.2.3.4:6881' });
  // A key the caller already has is used as is (shared, not recomputed).
  const key = 'shared-key';
  t.is(pexEntryFor({ remote: { host: '1.2.3.4', port: 5000 }, outgoing: true }, key)?.key, key);
});
