import test from 'ava';
import fc from 'fast-check';
import { OutstandingRequests } from './outstanding.js';
import type { OutRequest } from './peer-conn.js';

const req = (k: number): OutRequest => ({ index: k, block: 0, begin: 0, length: 16384, sentAt: k });

test('outstanding requests behave as the Map they replace (size, lookups, iteration order), emptied or not (property)', (t) => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: fc.nat(20) }),
    fc.record({ kind: fc.constant('delete' as const), key: fc.nat(20) }),
    fc.record({ kind: fc.constant('clear' as const), key: fc.constant(0) }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
    const o = new OutstandingRequests();
    const model = new Map<number, OutRequest>();
    for (const { kind, key } of ops) {
      if (kind === 'set') { const r = req(key); o.set(key, r); model.set(key, r); }
      else if (kind === 'delete') t.is(o.delete(key), model.delete(key));
      else { o.clear(); model.clear(); }
      t.is(o.size, model.size);
      for (let k = 0; k <= 20; k++) { t.is(o.has(k), model.has(k)); t.is(o.get(k), model.get(k)); }
      t.deepEqual([...o.values()], [...model.values()]);
    }
  }), { numRuns: 200 });
});
