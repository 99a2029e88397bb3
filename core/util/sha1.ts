import { createHash } from 'node:crypto';

/**
 * SHA-1 of small byte strings (info dicts, metadata). This is a pure function of its input,
 * so it may be called from the core. Bulk piece hashing does NOT go through here: it is a
 * storage service of the host (real: worker threads; simulator: an oracle), see core/seam.
 */
export function sha1(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(data).digest());
}
