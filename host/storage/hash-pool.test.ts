import test from 'ava';
import { bytesEqual } from '../../core/util/bytes.js';
import { StorageError } from '../../core/util/errors.js';
import { seededRandom } from '../../core/util/prng.js';
import { sha1 } from '../../core/util/sha1.js';
import { createHashPool } from './hash-pool.js';

const hashP = (pool: ReturnType<typeof createHashPool>, d: Uint8Array): Promise<Uint8Array> =>
  new Promise((res, rej) => pool.sha1(d, (e, h) => (e ? rej(e) : res(h!))));

for (const workers of [0, 1, 2]) {
  test(`BEP3-META-5: piece SHA-1 with ${workers} worker(s) equals the reference, shared or plain buffers`, async (t) => {
    const pool = createHashPool(workers);
    const rnd = seededRandom(workers);
    const jobs = Array.from({ length: 20 }, (_, i) => {
      const data = rnd.bytes(1 + i * 5003);
      if (i % 2 === 0) return data;
      const shared = new Uint8Array(new SharedArrayBuffer(data.length + 16), 8, data.length);
      shared.set(data);
      return shared;
    });
    const digests = await Promise.all(jobs.map((d) => hashP(pool, d)));
    digests.forEach((h, i) => t.true(bytesEqual(h, sha1(jobs[i])), `job ${i}`));
    await pool.destroy();
  });
}

test('destroy fails pending and later jobs with StorageError', async (t) => {
  const pool = createHashPool(1);
  const pending = hashP(pool, new Uint8Array(8 << 20));
  await pool.destroy();
  await t.throwsAsync(pending, { instanceOf: StorageError });
  await t.throwsAsync(hashP(pool, new Uint8Array(1)), { instanceOf: StorageError });
});
