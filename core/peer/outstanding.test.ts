import test from 'ava';
import fc from 'fast-check';
import { OutstandingRequests, reqBegin, reqIndex, reqKey } from './outstanding.js';

test('request keys give back their piece index and offset', (t) => {
  fc.assert(fc.property(fc.nat(1 << 20), fc.nat(4095), (index, k) => {
    const begin = k * 16384; // block offsets up to 64 MiB pieces
    const key = reqKey(index, begin);
    t.is(reqIndex(key), index);
    t.is(reqBegin(key), begin);
  }));
});

test('outstanding requests behave as a Map from key to length (size, lookups, insertion order), emptied or not (property)', (t) => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), index: fc.nat(5), block: fc.nat(3), length: fc.integer({ min: 1, max: 16384 }) }),
    fc.record({ kind: fc.constant('delete' as const), index: fc.nat(5), block: fc.nat(3), length: fc.constant(0) }),
    fc.record({ kind: fc.constant('drain' as const), index: fc.constant(0), block: fc.constant(0), length: fc.constant(0) }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
    const o = new OutstandingRequests();
    const model = new Map<number, number>();
    for (const { kind, index, block, length } of ops) {
      const key = reqKey(index, block * 16384);
      if (kind === 'add') { o.add(key, length); model.set(key, length); }
      else if (kind === 'delete') t.is(o.delete(key), model.delete(key));
      else {
        const got: [number, number, number][] = [];
        o.drain((i, b, l) => got.push([i, b, l]));
        t.deepEqual(got, [...model].map(([k, l]) => [reqIndex(k), reqBegin(k), l]));
        model.clear();
      }
      t.is(o.size, model.size);
      for (let i = 0; i <= 5; i++) for (let b = 0; b <= 3; b++) {
        const k = reqKey(i, b * 16384);
        t.is(o.has(k), model.has(k));
        t.is(o.lengthOf(k), model.get(k) ?? 0);
      }
    }
  }), { numRuns: 200 });
});
