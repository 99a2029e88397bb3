import test from 'ava';
import { Kernel, type NodeCtx } from './kernel.js';
import { SimError } from './errors.js';

test('kernel: runs events in time order and advances now', (t) => {
  const k = new Kernel();
  const log: string[] = [];
  k.schedule(30, () => log.push(`c@${k.now}`));
  k.schedule(10, () => { log.push(`a@${k.now}`); k.schedule(k.now + 5, () => log.push(`b@${k.now}`)); });
  const r = k.run();
  t.deepEqual(log, ['a@10', 'b@15', 'c@30']);
  t.is(r.reason, 'idle');
  t.is(r.events, 3);
  t.is(k.now, 30);
});

test('kernel: after() timers due at the same instant fire in creation order; past is clamped to now', (t) => {
  const k = new Kernel();
  const log: number[] = [];
  k.schedule(100, () => {
    k.after(10, () => log.push(1));
    k.after(10, () => log.push(2));
    k.after(0, () => log.push(0));
    k.after(-5, () => log.push(-1)); // negative delay: as soon as possible, after the one above
    k.schedule(50, () => log.push(99)); // the past: clamped to now
  });
  k.run();
  t.deepEqual(log, [0, -1, 99, 1, 2]);
});

test('kernel: run({until}) stops at the horizon and sets now = until; maxEvents bounds work', (t) => {
  const k = new Kernel();
  let n = 0;
  const tick = (): void => { n++; k.schedule(k.now + 10, tick); };
  k.schedule(0, tick);
  const r1 = k.run({ until: 95 });
  t.is(r1.reason, 'until');
  t.is(n, 10); // t = 0..90
  t.is(k.now, 95);
  const r2 = k.run({ maxEvents: 3 });
  t.is(r2.reason, 'maxEvents');
  t.is(n, 13);
  t.is(k.now, 120);
});

test('kernel: cancelled events never run and do not count', (t) => {
  const k = new Kernel();
  let ran = false;
  const h = k.after(5, () => { ran = true; });
  k.after(1, () => h.cancel());
  const r = k.run();
  t.false(ran);
  t.is(r.events, 1);
});

test('kernel: a throwing handler stops the run with a SimError naming time and node', (t) => {
  const k = new Kernel();
  const ctx: NodeCtx = { id: 'peer-7', alive: true };
  let after = false;
  k.schedule(12.5, () => { throw new TypeError('boom'); }, 0, ctx);
  k.schedule(20, () => { after = true; });
  const err = t.throws(() => k.run(), { instanceOf: SimError }) as SimError;
  t.is(err.time, 12.5);
  t.is(err.node, 'peer-7');
  t.is(err.code, 'ESIM');
  t.regex(err.message, /t=12\.500 ms in node peer-7: boom/);
  t.true((err as { cause?: unknown }).cause instanceof TypeError);
  t.false(after, 'nothing runs after the failure');
});

test('kernel: nested schedules inherit the node; world events have none', (t) => {
  const k = new Kernel();
  const ctx: NodeCtx = { id: 'a', alive: true };
  k.schedule(1, () => { k.after(1, () => { throw new Error('inner'); }); }, 0, ctx);
  const err = t.throws(() => k.run(), { instanceOf: SimError }) as SimError;
  t.is(err.node, 'a');
  t.is(err.time, 2);
  const k2 = new Kernel();
  k2.schedule(3, () => { throw new Error('x'); }, 0, null);
  t.is((t.throws(() => k2.run()) as SimError).node, '(world)');
});

test('kernel: events of a dead node are skipped', (t) => {
  const k = new Kernel();
  const ctx: NodeCtx = { id: 'gone', alive: true };
  const log: string[] = [];
  k.schedule(5, () => log.push('early'), 0, ctx);
  k.schedule(10, () => log.push('late'), 0, ctx);
  k.schedule(7, () => { ctx.alive = false; });
  k.run();
  t.deepEqual(log, ['early']);
});

test('kernel: within() runs setup code as a node and names it on failure', (t) => {
  const k = new Kernel();
  const ctx: NodeCtx = { id: 'setup', alive: true };
  t.is(k.within(ctx, () => k.current?.id), 'setup');
  t.is(k.current, null);
  const err = t.throws(() => k.within(ctx, () => { throw new Error('bad config'); }), { instanceOf: SimError }) as SimError;
  t.is(err.node, 'setup');
});

test('kernel: run is not re-entrant and until cannot go back in time', (t) => {
  const k = new Kernel();
  k.schedule(1, () => { k.run(); });
  t.throws(() => k.run(), { instanceOf: SimError, message: /not re-entrant/ });
  t.throws(() => k.run({ until: 0 }), { instanceOf: RangeError });
});
