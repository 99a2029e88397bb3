import test from 'ava';
import fc from 'fast-check';
import { Kernel } from '../kernel/kernel.js';
import { Downlink, deliveredItems, deliveredSizes, type DownlinkEnd } from './downlink.js';

// A node's downlink against a model: a FIFO server whose deliveries are single messages or
// batches of small ones, for several link ends sharing it, with the kernel run forward in
// between (so the ring wraps and grows with its head anywhere).

type Op =
  | { kind: 'one'; end: number; size: number; lat: number }
  | { kind: 'batch'; end: number; sizes: number[]; lat: number; gap: number }
  | { kind: 'run'; dt: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('one' as const), end: fc.nat(3), size: fc.integer({ min: 1, max: 20000 }), lat: fc.nat(50) }),
  fc.record({
    kind: fc.constant('batch' as const), end: fc.nat(3),
    sizes: fc.array(fc.integer({ min: 1, max: 512 }), { minLength: 1, maxLength: 70, size: 'max' }),
    lat: fc.nat(50), gap: fc.double({ min: 0, max: 0.5, noNaN: true }),
  }),
  fc.record({ kind: fc.constant('run' as const), dt: fc.double({ min: 0, max: 30, noNaN: true }) }),
);

interface Group { end: number; items: number[]; at: number }

test('Downlink: deliveries match a FIFO model — times, batch grouping, order, receiving end, bytes', (t) => {
  let maxQueued = 0;
  fc.assert(fc.property(fc.array(op, { maxLength: 300, size: 'max' }), fc.integer({ min: 1, max: 3000 }), (ops, rate) => {
    const k = new Kernel();
    const d = new Downlink(k, { id: 'n', alive: true }, rate, 0);
    let free = 0;
    const expected: Group[] = [];
    const got: Group[] = [];
    const ends: DownlinkEnd[] = [0, 1, 2, 3].map((e) => ({
      deliverBatch(count: number, bytes: number) {
        let b = 0;
        for (let i = 0; i < count; i++) b += deliveredSizes[i];
        if (b !== bytes) throw new Error(`bytes ${bytes} ≠ ${b}`);
        got.push({ end: e, items: deliveredItems.slice(0, count) as number[], at: k.now });
      },
    }));
    let id = 0;
    for (const o of ops) {
      if (o.kind === 'run') { k.run({ until: k.now + o.dt }); continue; }
      if (o.kind === 'one') {
        const arrival = k.now + o.lat;
        const at = Math.max(arrival, free) + o.size / rate;
        free = at;
        if (d.book(ends[o.end], id, o.size, arrival) !== at) return false;
        expected.push({ end: o.end, items: [id++], at });
      } else {
        let sent = k.now;
        let last = 0;
        const items: number[] = [];
        for (let i = 0; i < o.sizes.length; i++) {
          sent += o.gap;
          const arrival = sent + o.lat;
          const at = Math.max(arrival, free) + o.sizes[i] / rate;
          free = at;
          last = d.bookBatched(ends[o.end], id, o.sizes[i], arrival, i === 0);
          if (last !== at) return false;
          items.push(id++);
        }
        d.seal(o.sizes.length, last);
        expected.push({ end: o.end, items, at: last }); // a batch arrives with its last message
      }
      maxQueued = Math.max(maxQueued, d.length);
    }
    k.run();
    if (d.length !== 0 || got.length !== expected.length) return false;
    return got.every((g, i) => g.end === expected[i].end && g.at === expected[i].at && g.items.join() === expected[i].items.join());
  }), { numRuns: 400 });
  t.true(maxQueued > 1024, `the queue grew past the shrink threshold (${maxQueued} entries)`);
});

test('Downlink: a queue that grew large gives its memory back when it empties, and works on', (t) => {
  const k = new Kernel();
  const d = new Downlink(k, { id: 'n', alive: true }, 1000, 0);
  const seen: number[] = [];
  const end: DownlinkEnd = { deliverBatch: (n) => { for (let i = 0; i < n; i++) seen.push(deliveredItems[i] as number); } };
  for (let i = 0; i < 5000; i++) d.book(end, i, 100, 0);
  k.run();
  t.is(seen.length, 5000);
  t.is((d as unknown as { slots: unknown[] }).slots.length, 0, 'storage released');
  d.book(end, 5000, 100, k.now);
  k.run();
  t.deepEqual(seen.slice(-2), [4999, 5000]);
});
