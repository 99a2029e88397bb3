import test from 'ava';
import fc from 'fast-check';
import { Bitfield, bitfieldProblem } from './bitfield.js';
import { ProtocolError } from '../util/errors.js';

test('BEP3-MSG-7: the high bit of byte 0 is piece 0', (t) => {
  const b = new Bitfield(10);
  b.set(0); b.set(9);
  t.deepEqual([...b.toBytes()], [0x80, 0x40]);
  t.true(b.get(0)); t.true(b.get(9)); t.false(b.get(1));
  t.false(b.get(10)); t.false(b.get(-1)); // outside: false, not a throw
});

test('BEP3-MSG-7: fromBytes refuses wrong sizes and spare bits, naming the fault', (t) => {
  t.throws(() => Bitfield.fromBytes(new Uint8Array(1), 10), { instanceOf: ProtocolError, message: /1 bytes, 10 pieces need 2/ });
  t.throws(() => Bitfield.fromBytes(new Uint8Array([0, 0x20]), 10), { instanceOf: ProtocolError, message: /spare bits/ });
  const b = Bitfield.fromBytes(new Uint8Array([0xff, 0xc0]), 10);
  t.is(b.count(), 10);
  t.true(b.isFull());
  t.is(bitfieldProblem(new Uint8Array(0), 0), null);
});

test('set/clear report changes and keep count exact', (t) => {
  const b = new Bitfield(20);
  t.true(b.set(3)); t.false(b.set(3));
  t.is(b.count(), 1);
  t.true(b.clear(3)); t.false(b.clear(3));
  t.true(b.isEmpty());
  t.throws(() => b.set(20), { instanceOf: RangeError });
});

test('full(), setAll() keep spare bits zero so toBytes() is a valid bitfield', (t) => {
  for (const n of [1, 7, 8, 9, 13, 16]) {
    const b = Bitfield.full(n);
    t.is(b.count(), n);
    t.is(bitfieldProblem(b.toBytes(), n), null);
  }
});

test('Bitfield behaves like a Set of indices (model check)', (t) => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 100 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.boolean(), fc.nat({ max: Math.max(0, n - 1) })), { maxLength: 200 }))),
    ([n, ops]) => {
      const b = new Bitfield(n);
      const model = new Set<number>();
      for (const [add, i] of ops) {
        if (i >= n) continue;
        if (add) { b.set(i); model.add(i); } else { b.clear(i); model.delete(i); }
      }
      const sorted = [...model].sort((x, y) => x - y);
      const round = Bitfield.fromBytes(b.toBytes(), n);
      const firstClear = [...Array(n).keys()].find((i) => !model.has(i)) ?? -1;
      return b.count() === model.size && JSON.stringify([...b]) === JSON.stringify(sorted)
        && JSON.stringify([...round]) === JSON.stringify(sorted) && round.count() === model.size
        && b.nextSet() === (sorted[0] ?? -1) && b.nextClear() === firstClear
        && b.isFull() === (model.size === n);
    },
  ), { numRuns: 500 });
  t.pass();
});

test('nextSet / nextClear scan from an offset, skipping whole bytes', (t) => {
  const b = new Bitfield(40);
  b.set(33);
  t.is(b.nextSet(0), 33);
  t.is(b.nextSet(34), -1);
  b.setAll();
  b.clear(38);
  t.is(b.nextClear(0), 38);
  t.is(b.nextClear(39), -1);
  const c = b.clone();
  c.clear(0);
  t.true(b.get(0));
});
