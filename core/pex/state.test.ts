import test from 'ava';
import fc from 'fast-check';
import type { Address } from '../seam/net.js';
import { addressKey } from '../seam/net.js';
import { PexDigest, PexState, pexEntryFor, type PexOutgoing } from './state.js';
import { decodePexMessage, type PexPeer } from './codec.js';

const peer = (i: number): PexPeer => ({ addr: { host: `10.0.${i >> 8}.${i & 255}`, port: 6881 }, flags: 0 });
const remote: Address = { host: '10.9.9.9', port: 6881 };

/** A torrent's tick, as exchangePeers runs it: refresh the digest, then poll each remote. */
function tick(d: PexDigest, remotes: PexState[], now: number, connected: readonly PexPeer[]): (PexOutgoing | null)[] {
  const entries = () => connected;
  d.refresh(now, entries);
  return remotes.map((r) => r.poll(now, d, entries));
}

test('BEP 11: a first message lists the connected peers; after it, nothing until something changes', (t) => {
  const d = new PexDigest();
  const s = new PexState(remote);
  const [m] = tick(d, [s], 0, [peer(1), peer(2)]);
  t.deepEqual(m?.msg.added.map((p) => p.addr.host), ['10.0.0.1', '10.0.0.2']);
  t.deepEqual(m?.msg.dropped, []);
  t.deepEqual(decodePexMessage(m!.payload).added.map((p) => p.addr.host), ['10.0.0.1', '10.0.0.2']); // payload = the message
  t.deepEqual(tick(d, [s], 60_000, [peer(1), peer(2)]), [null]); // nothing changed: no empty message
  t.deepEqual(tick(d, [s], 120_000, [peer(1), peer(2)]), [null]);
});

test('BEP 11: at most one message a minute per remote', (t) => {
  const d = new PexDigest();
  const s = new PexState(remote);
  t.truthy(tick(d, [s], 1000, [peer(1)])[0]);
  t.deepEqual(tick(d, [s], 60_999, [peer(1), peer(2)]), [null]);
  t.deepEqual(tick(d, [s], 61_000, [peer(1), peer(2)])[0]?.msg.added.map((p) => p.addr.host), ['10.0.0.2']);
  t.is(s.nextDueAt(), 121_000);
});

test('BEP 11: one message per torrent, shared: remotes due at the same time get the same object, encoded once', (t) => {
  const d = new PexDigest();
  const a = new PexState(remote), b = new PexState({ host: '10.9.9.8', port: 6881 });
  const first = tick(d, [a, b], 0, [peer(1)]);
  t.is(first[0], first[1]);
  const later = tick(d, [a, b], 60_000, [peer(1), peer(2)]);
  t.is(later[0], later[1]);
  t.is(later[0], d.currentDiff());
  // A remote that joins later gets the full list first, then the same diffs as the others.
  const c = new PexState({ host: '10.9.9.7', port: 6881 });
  const [,, cFirst] = tick(d, [a, b, c], 90_000, [peer(1), peer(2), peer(3)]);
  t.deepEqual(cFirst?.msg.added.map((p) => p.addr.host), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  const next = tick(d, [a, b, c], 150_000, [peer(1), peer(2), peer(3)]);
  t.deepEqual(next[2]?.msg.added.map((p) => p.addr.host), ['10.0.0.3']); // overlaps its list: harmless
  t.is(next[0], d.currentDiff()); // a and b (due at 120 s, nothing new then) send it now
});

test('BEP 11: after the first, at most 50 added and 50 dropped per diff; the rest goes out later', (t) => {
  const d = new PexDigest();
  const s = new PexState(remote);
  const first = Array.from({ length: 120 }, (_, i) => peer(i));
  t.is(tick(d, [s], 0, first)[0]?.msg.added.length, 120); // first message: up to firstMaxAdded (200)
  const second = Array.from({ length: 120 }, (_, i) => peer(1000 + i)); // all new, all old dropped
  // The digest's first build (t = 0) announced 50 of the first 120; the rest follow.
  const m2 = tick(d, [s], 60_000, second)[0]!.msg;
  t.is(m2.added.length, 50);
  t.is(m2.dropped.length, 50);
  const m3 = tick(d, [s], 120_000, second)[0]!.msg;
  t.is(m3.added.length, 50);
  t.is(m3.dropped.length, 0); // only 50 of the first set had been announced, all dropped at 60 s
  const m4 = tick(d, [s], 180_000, second)[0]!.msg;
  t.is(m4.added.length, 20);
  t.is(tick(d, [s], 240_000, second)[0], null);
});

test('BEP 11 property: what the diffs announce converges to the connected set, within the limits', (t) => {
  fc.assert(fc.property(fc.array(fc.uniqueArray(fc.nat(300), { maxLength: 120 }), { minLength: 1, maxLength: 12 }), (rounds) => {
    const d = new PexDigest();
    const s = new PexState(remote);
    const told = new Set<string>(); // what the remote has heard, list and diffs together
    let now = 0;
    const apply = (m: PexOutgoing | null, first: boolean) => {
      if (!m) return;
      t.true(m.msg.added.length <= (first ? 200 : 50) && m.msg.dropped.length <= 50);
      for (const a of m.msg.dropped) told.delete(addressKey(a));
      for (const p of m.msg.added) told.add(addressKey(p.addr));
    };
    let sent = 0;
    for (const ids of rounds) {
      const [m] = tick(d, [s], now, ids.map(peer));
      apply(m, sent === 0);
      if (m) sent++;
      now += 60_000;
    }
    const last = rounds[rounds.length - 1].map(peer);
    for (let k = 0; k < 10; k++) { const [m] = tick(d, [s], now, last); apply(m, sent === 0); if (m) sent++; now += 60_000; }
    t.deepEqual([...told].sort(), last.map((p) => addressKey(p.addr)).sort());
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
