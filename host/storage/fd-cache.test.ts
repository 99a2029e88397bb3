import test from 'ava';
import * as fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageError } from '../../core/util/errors.js';
import { FdCache, type FdLease } from './fd-cache.js';

const made: string[] = [];
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'bt-lab-fd-')); made.push(d); return d; };
test.after.always(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

const acquireP = (c: FdCache, p: string, w: boolean): Promise<FdLease> =>
  new Promise((res, rej) => c.acquire(p, w, (e, l) => (e ? rej(e) : res(l!))));

test('LRU keeps at most maxOpen idle fds and never closes one in use', async (t) => {
  const dir = tmp();
  const c = new FdCache(2);
  const busy = await acquireP(c, join(dir, 'a', 'b', 'f0'), true); // creates folders + file
  t.true(fs.existsSync(join(dir, 'a', 'b', 'f0')));
  for (let i = 1; i < 6; i++) (await acquireP(c, join(dir, `f${i}`), true)).release();
  t.true(c.openCount <= 2);
  // The busy fd still works.
  fs.writeSync(busy.fd, Buffer.from('hi'), 0, 2, 0);
  busy.release();
  t.is(fs.readFileSync(join(dir, 'a', 'b', 'f0'), 'utf8'), 'hi');
  t.is(c.takeCreated().length, 6);
  t.is(c.takeCreated().length, 0);
  // Concurrent acquires of one path share a single open.
  const [l1, l2] = await Promise.all([acquireP(c, join(dir, 'g'), true), acquireP(c, join(dir, 'g'), true)]);
  t.is(l1.fd, l2.fd);
  l1.release(); l2.release();
  await new Promise<void>((res) => c.closeAll(() => res()));
  t.is(c.openCount, 0);
});

test('read access never creates files; a missing file is a StorageError naming the path', async (t) => {
  const dir = tmp();
  const c = new FdCache(4);
  const err = await t.throwsAsync(acquireP(c, join(dir, 'nope'), false), { instanceOf: StorageError });
  t.is(err?.context.path, join(dir, 'nope'));
  t.false(fs.existsSync(join(dir, 'nope')));
});
