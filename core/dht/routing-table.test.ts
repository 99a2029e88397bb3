import test from 'ava';
import fc from 'fast-check';
import { seededRandom } from '../util/prng.js';
import { compareDistance, commonPrefixBits, xorDistance } from './node-id.js';
import { GOOD_FOR_MS, RoutingTable } from './routing-table.js';

const MIN = 60_000;
const id20 = fc.uint8Array({ minLength: 20, maxLength: 20 });
let ipCounter = 0;
const addrFor = () => { ipCounter++; return { host: `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`, port: 6881 }; };

/** Invariants that must hold after any sequence of inserts. */
function checkInvariants(table: RoutingTable): string | undefined {
  const buckets = table.bucketEntries();
  const last = buckets.length - 1;
  for (let i = 0; i < buckets.length; i++) {
    if (buckets[i].length > table.k) return `bucket ${i} holds ${buckets[i].length} > K`; // RT-4
    for (const e of buckets[i]) {
      const cpl = commonPrefixBits(e.id, table.id);
      // RT-3/RT-5: bucket i < last holds exactly the ids sharing i bits with ours; the last the rest.
      if (i < last ? cpl !== i : cpl < last) return `node with cpl ${cpl} in bucket ${i}/${last}`;
    }
  }
  return undefined;
}

test('BEP5-RT-3 BEP5-RT-4 BEP5-RT-5: never more than K per bucket; only the bucket holding our id splits', (t) => {
  fc.assert(fc.property(id20, fc.array(id20, { maxLength: 400 }), (own, ids) => {
    const table = new RoutingTable(own);
    for (const id of ids) table.heard({ id, addr: addrFor() }, 0);
    const bad = checkInvariants(table);
    if (bad) t.fail(bad);
    // Every bucket except the last is "below" ours; a split never happened elsewhere.
    return bad === undefined;
  }), { numRuns: 150 });
  t.pass();
});

test('BEP5-RT-5: a full bucket far from our id discards newcomers (no split)', (t) => {
  const own = new Uint8Array(20); // 000…
  const table = new RoutingTable(own);
  // 8 ids with top bit 1 fill bucket 0 after the first split; a 9th does not get in.
  const far = (n: number) => { const x = new Uint8Array(20); x[0] = 0x80; x[19] = n; return x; };
  for (let n = 0; n < 8; n++) t.true(table.heard({ id: far(n), addr: addrFor() }, 0).inTable);
  const near = new Uint8Array(20); near[19] = 1;
  t.true(table.heard({ id: near, addr: addrFor() }, 0).inTable); // forces the split
  t.is(table.bucketCount, 2);
  t.false(table.heard({ id: far(99), addr: addrFor() }, 0).inTable);
  t.is(table.bucketEntries()[0].length, 8);
  t.is(table.bucketCount, 2);
});

test('BEP5-ID-2: closest() matches a brute-force XOR sort', (t) => {
  fc.assert(fc.property(id20, fc.array(id20, { maxLength: 200 }), id20, fc.integer({ min: 1, max: 20 }), (own, ids, target, k) => {
    const table = new RoutingTable(own);
    for (const id of ids) table.heard({ id, addr: addrFor() }, 0);
    const all = table.all().map((e) => e.id);
    const expect = all.sort((a, b) => compareDistance(target, a, b)).slice(0, k);
    const got = table.closest(target, k).map((n) => n.id);
    t.deepEqual(got, expect);
    // sanity of compareDistance against xorDistance
    for (let i = 1; i < got.length; i++) t.true(Buffer.compare(xorDistance(got[i - 1], target), xorDistance(got[i], target)) <= 0);
  }), { numRuns: 100 });
});

test('BEP5-RT-2: good within 15 min of an answer, questionable after, bad after repeated failures', (t) => {
  const table = new RoutingTable(new Uint8Array(20).fill(1));
  const id = new Uint8Array(20).fill(2);
  table.heard({ id, addr: addrFor() }, 0);
  const e = table.get(id)!;
  t.is(table.stateOf(e, GOOD_FOR_MS - 1), 'good');
  t.is(table.stateOf(e, GOOD_FOR_MS), 'questionable');
  // A node that once answered and keeps querying us stays good.
  table.queried({ id, addr: e.addr }, 20 * MIN);
  t.is(table.stateOf(e, 21 * MIN), 'good');
  table.failed(id, 21 * MIN);
  t.not(table.stateOf(e, 21 * MIN), 'bad');
  table.failed(id, 21 * MIN);
  t.is(table.stateOf(e, 21 * MIN), 'bad');
  t.deepEqual(table.closest(id, 8, 21 * MIN), []); // bad nodes are never handed out
});

test('BEP5-RT-6: full bucket → questionable nodes pinged (least recently seen first), bad ones replaced', (t) => {
  const own = new Uint8Array(20);
  const table = new RoutingTable(own);
  const far = (n: number) => { const x = new Uint8Array(20); x[0] = 0x80; x[19] = n; return x; };
  const near = new Uint8Array(20); near[19] = 1;
  table.heard({ id: near, addr: addrFor() }, 0);
  for (let n = 0; n < 8; n++) table.heard({ id: far(n), addr: addrFor() }, n * 1000); // far(0) is the oldest
  // 20 minutes later all 8 are questionable; a newcomer is not inserted but asks for pings.
  const res = table.heard({ id: far(50), addr: addrFor() }, 20 * MIN);
  t.false(res.inTable);
  t.is(res.ping.length, 8);
  t.deepEqual(res.ping[0].id, far(0));
  // A second newcomer right after does not re-request the same pings.
  t.is(table.heard({ id: far(51), addr: addrFor() }, 20 * MIN + 1).ping.length, 0);
  // far(0) fails twice → bad → replaced by the newest verified replacement.
  table.failed(far(0), 20 * MIN + 2);
  table.failed(far(0), 20 * MIN + 3);
  t.is(table.get(far(0)), undefined);
  t.truthy(table.get(far(51)));
  t.is(table.bucketEntries()[0].length, 8);
  table.failed(far(1), 21 * MIN); table.failed(far(1), 21 * MIN);
  t.is(table.get(far(1)), undefined);
  t.truthy(table.get(far(50))); // the other waiting replacement
  // A node that turns bad with no replacement waiting is replaced by the next newcomer.
  table.failed(far(2), 22 * MIN); table.failed(far(2), 22 * MIN);
  t.truthy(table.get(far(2)));
  t.true(table.heard({ id: far(60), addr: addrFor() }, 22 * MIN).inTable);
  t.is(table.get(far(2)), undefined);
  t.is(table.bucketEntries()[0].length, 8);
});

test('BEP5-RT-7: a bucket untouched for 15 min yields one refresh target inside its range', (t) => {
  const rng = seededRandom(3);
  const own = rng.bytes(20);
  const table = new RoutingTable(own);
  for (let i = 0; i < 100; i++) table.heard({ id: rng.bytes(20), addr: addrFor() }, 0);
  t.deepEqual(table.refreshTargets(14 * MIN, rng), []);
  const targets = table.refreshTargets(15 * MIN, rng);
  t.is(targets.length, table.bucketCount);
  const last = table.bucketCount - 1;
  targets.forEach((x, i) => t.is(Math.min(commonPrefixBits(x, own), last), i));
  t.deepEqual(table.refreshTargets(16 * MIN, rng), []); // marked as refreshed
});

test('BEP5-RT-8: save/load round-trips ids and addresses; loaded nodes start questionable', (t) => {
  const rng = seededRandom(9);
  const table = new RoutingTable(rng.bytes(20));
  for (let i = 0; i < 60; i++) table.heard({ id: rng.bytes(20), addr: addrFor() }, 0);
  const saved = JSON.parse(JSON.stringify(table.save()));
  const back = RoutingTable.load(saved, {}, 0);
  t.deepEqual(back.id, table.id);
  t.is(back.size, table.size);
  for (const e of table.all()) {
    const b = back.get(e.id)!;
    t.deepEqual(b.addr, e.addr);
    t.is(back.stateOf(b, 0), 'questionable');
  }
  // Garbage rows are skipped, not fatal.
  const junk = RoutingTable.load({ id: saved.id, nodes: [{ id: 'zz', host: 'x', port: 1 }, { id: '00', host: 'x', port: 1 }, { id: saved.nodes[0].id, host: 'h', port: 0 }] });
  t.is(junk.size, 0);
});

test('routing table: an id already known from one address is not hijacked by another', (t) => {
  const table = new RoutingTable(new Uint8Array(20));
  const id = new Uint8Array(20).fill(7);
  table.heard({ id, addr: { host: '10.0.0.1', port: 1 } }, 0);
  table.heard({ id, addr: { host: '10.0.0.2', port: 1 } }, 5);
  t.deepEqual(table.get(id)!.addr, { host: '10.0.0.1', port: 1 });
  t.false(table.queried({ id, addr: { host: '10.0.0.2', port: 1 } }, 6));
});
