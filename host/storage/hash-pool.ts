import { Worker } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { StorageError } from '../../core/util/errors.js';

/**
 * SHA-1 of whole pieces, off the main thread. The main thread of a fast client is busy parsing
 * the wire and copying blocks; hashing 1 GiB synchronously there costs ~1 s of stalls (the
 * testbed profile of WebTorrent shows 21 % of its main thread in SHA-1). Buffers should be views
 * on a SharedArrayBuffer: the worker hashes them in place. Other buffers are copied once.
 *
 * `workers: 0` hashes synchronously on the calling thread (benchmarks, tiny tests).
 */
export interface HashPool {
  readonly workers: number;
  sha1(data: Uint8Array, done: (err: Error | null, digest?: Uint8Array) => void): void;
  /** Stop the workers; pending jobs fail with StorageError. */
  destroy(): Promise<void>;
}

type Done = (err: Error | null, digest?: Uint8Array) => void;

interface Slot { worker: Worker | null; pending: Map<number, Done> }

export function createHashPool(workers: number): HashPool {
  const url = new URL('./hash-worker.js', import.meta.url);
  const slots: Slot[] = Array.from({ length: Math.max(0, workers) }, () => ({ worker: null, pending: new Map() }));
  let nextId = 1;
  let destroyed = false;

  const failAll = (slot: Slot, why: string): void => {
    const jobs = [...slot.pending.values()];
    slot.pending.clear();
    for (const d of jobs) d(new StorageError(why));
  };

  const spawn = (slot: Slot): Worker => {
    const w = new Worker(url);
    w.unref(); // ref'd only while jobs are pending: an idle pool never keeps the process alive
    w.on('message', (m: { id: number; digest: Uint8Array }) => {
      const d = slot.pending.get(m.id);
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) w.unref();
      d?.(null, m.digest);
    });
    w.on('error', (e) => { if (slot.worker === w) slot.worker = null; failAll(slot, `hash worker failed: ${e.message}`); });
    w.on('exit', () => { if (slot.worker === w) slot.worker = null; failAll(slot, 'hash worker exited'); });
    slot.worker = w;
    return w;
  };

  return {
    workers: slots.length,
    sha1(data, done) {
      if (destroyed) { queueMicrotask(() => done(new StorageError('hash pool destroyed'))); return; }
      if (slots.length === 0) {
        let digest: Uint8Array;
        try { digest = new Uint8Array(createHash('sha1').update(data).digest()); } catch (e) { queueMicrotask(() => done(e as Error)); return; }
        queueMicrotask(() => done(null, digest));
        return;
      }
      // Least-loaded worker: pieces are similar in size, so pending count is a fair proxy.
      let slot = slots[0];
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
      const w = slot.worker ?? spawn(slot);
      const id = nextId++;
      slot.pending.set(id, done);
      if (slot.pending.size === 1) w.ref();
      if (data.buffer instanceof SharedArrayBuffer) {
        w.postMessage({ id, buf: data.buffer, offset: data.byteOffset, length: data.length });
      } else {
        const copy = data.slice();
        w.postMessage({ id, buf: copy.buffer, offset: 0, length: copy.length }, [copy.buffer]);
      }
    },
    async destroy() {
      destroyed = true;
      await Promise.all(slots.map(async (s) => {
        const w = s.worker;
        s.worker = null;
        failAll(s, 'hash pool destroyed');
        if (w) await w.terminate();
      }));
    },
  };
}
