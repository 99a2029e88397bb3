import test from 'ava';
import fc from 'fast-check';
import { EventHeap, MAX_PRIORITY, MIN_PRIORITY } from './heap.js';

function drain<F>(h: EventHeap<F, null>): F[] {
  const out: F[] = [];
  while (h.length > 0) {
    const s = h.popSlot();
    const f = h.slotFnOf(s);
    h.release(s);
    if (f !== null) out.push(f);
  }
  return out;
}

test('heap: pops by time, then priority, then insertion order', (t) => {
  const h = new EventHeap<string, null>(4);
  h.push(5, 0, 'c', null);
  h.push(1, 0, 'a', null);
  h.push(5, -1, 'b', null); // same time, lower priority value first
  h.push(5, 0, 'd', null); // tie with 'c': insertion order
  h.push(9, -5, 'e', null);
  h.push(5, 3, 'f', null);
  t.deepEqual(drain(h), ['a', 'b', 'c', 'd', 'f', 'e']);
});

test('heap: 10 000 events at one instant come out in insertion order (ties by sequence)', (t) => {
  const h = new EventHeap<number, null>(16);
  for (let i = 0; i < 10_000; i++) h.push(42, 0, i, null);
  const out = drain(h);
  t.is(out.length, 10_000);
  t.true(out.every((x, i) => x === i));
});

test('heap: order equals a stable sort by (time, priority) for any input (property)', (t) => {
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: -3, max: 3 })), { maxLength: 300 }),
    (evs) => {
      const h = new EventHeap<number, null>(2);
      evs.forEach(([time, prio], i) => h.push(time, prio, i, null));
      const expected = evs.map((e, i) => ({ e, i })).sort((a, b) => a.e[0] - b.e[0] || a.e[1] - b.e[1] || a.i - b.i).map((x) => x.i);
      t.deepEqual(drain(h), expected);
    },
  ), { numRuns: 300 });
});

test('heap: interleaved push/pop keeps heap order (property)', (t) => {
  fc.assert(fc.property(
    fc.array(fc.oneof(fc.double({ min: 0, max: 1000, noNaN: true }), fc.constant(-1)), { maxLength: 400 }),
    (ops) => {
      const h = new EventHeap<number, null>(2);
      let last = -Infinity;
      let floor = 0; // everything pushed is >= floor, like a kernel that never schedules the past
      for (const op of ops) {
        if (op >= 0 || h.length === 0) h.push(floor + Math.abs(op), 0, 0, null);
        else {
          const time = h.peekTime();
          h.release(h.popSlot());
          if (time < last) return false;
          last = time; floor = time;
        }
      }
      return true;
    },
  ), { numRuns: 300 });
  t.pass();
});

test('heap: cancel is lazy and a stale handle cannot cancel a reused slot', (t) => {
  const h = new EventHeap<string, null>(4);
  const s1 = h.push(1, 0, 'x', null);
  const q1 = h.slotSeqOf(s1);
  t.true(h.cancel(q1, s1));
  t.false(h.cancel(q1, s1), 'second cancel is a no-op');
  t.deepEqual(drain(h), []); // the cancelled entry is skipped
  const s2 = h.push(2, 0, 'y', null);
  t.is(s2, s1, 'slot reused');
  t.false(h.cancel(q1, s1), 'old handle does not touch the new event');
  t.deepEqual(drain(h), ['y']);
});

test('heap: priorities outside the packable range are refused', (t) => {
  const h = new EventHeap<string, null>();
  t.throws(() => h.push(0, MAX_PRIORITY + 1, 'x', null), { instanceOf: RangeError });
  t.throws(() => h.push(0, MIN_PRIORITY - 1, 'x', null), { instanceOf: RangeError });
  t.throws(() => h.push(0, 0.5, 'x', null), { instanceOf: RangeError });
  h.push(0, MIN_PRIORITY, 'lo', null);
  h.push(0, MAX_PRIORITY, 'hi', null);
  t.deepEqual(drain(h), ['lo', 'hi']);
});
