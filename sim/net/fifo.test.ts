import test from 'ava';
import fc from 'fast-check';
import { SizedFifo } from './fifo.js';

// The queue is checked against a plain array model under random pushes and shifts, including
// long runs that empty it (indices rewind, capacity kept) and long runs that never do (the
// consumed prefix is dropped).
test('SizedFifo behaves as a FIFO of (item, size) under any push/shift sequence', (t) => {
  fc.assert(fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat(5000)), { maxLength: 4000 }), (ops) => {
    const q = new SizedFifo<number>();
    const model: number[] = [];
    let next = 0;
    for (const op of ops) {
      if (op === -1 || model.length === 0 && op % 3 === 0) {
        if (model.length === 0) continue;
        const want = model.shift()!;
        if (q.peekSize() !== want * 2) return false;
        if (q.shift() !== want) return false;
      } else {
        // Bursts of pushes, so the queue reaches thousands of entries now and then.
        for (let k = 0; k <= op % 7; k++) { q.push(next, next * 2); model.push(next++); }
      }
      if (q.length !== model.length) return false;
    }
    while (model.length > 0) if (q.shift() !== model.shift()) return false;
    return q.length === 0;
  }), { numRuns: 200 });
  t.pass();
});

test('SizedFifo: a queue that never empties still reads in order past the compaction point', (t) => {
  const q = new SizedFifo<number>();
  let head = 0;
  for (let i = 0; i < 10_000; i++) {
    q.push(i, 1);
    q.push(-i, 1);
    t.is(q.shift(), head % 2 === 0 ? head / 2 : -(head - 1) / 2);
    head++;
  }
  t.is(q.length, 10_000);
  q.clear();
  t.is(q.length, 0);
});
