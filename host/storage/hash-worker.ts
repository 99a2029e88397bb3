/**
 * SHA-1 worker thread. Receives a view on a SharedArrayBuffer (no copy crosses the thread
 * boundary) and answers with the 20-byte digest. The main thread does not touch a buffer while
 * its hash is pending, so no locking is needed.
 */
import { parentPort } from 'node:worker_threads';
import { createHash } from 'node:crypto';

interface Job { id: number; buf: SharedArrayBuffer | ArrayBuffer; offset: number; length: number }

parentPort!.on('message', (job: Job) => {
  const digest = createHash('sha1').update(new Uint8Array(job.buf, job.offset, job.length)).digest();
  parentPort!.postMessage({ id: job.id, digest: new Uint8Array(digest.buffer, digest.byteOffset, 20) });
});
