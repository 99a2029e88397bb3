/**
 * Virtual payloads. The simulator never moves real block data: every block a node uploads is
 * a VIEW into one of two shared buffers — zeros for honest peers, 0xff for peers configured
 * as bad. Storage can then tell, from the view's backing buffer alone, whether a block came
 * from a bad peer; that is the verification oracle (no SHA-1 in simulations).
 *
 * The buffers start at 256 KiB (> MAX_REQUEST) and grow by doubling for larger reads; every
 * bad backing buffer ever made is remembered, so old views stay recognisable.
 */

let good = new Uint8Array(256 * 1024);
let bad = new Uint8Array(256 * 1024).fill(0xff);
const badBuffers = new Set<ArrayBufferLike>([bad.buffer]);
const goodBuffers = new Set<ArrayBufferLike>([good.buffer]);

/**
 * Views handed out so far, by length (good and bad apart). WHY: a swarm run reads a block for
 * every upload — hundreds of thousands of typed-array views, a measurable share of the GC
 * work. The payload is immutable by contract (nobody writes into a block it received or
 * read), so every 16 KiB block of good data can be the very same view.
 */
const goodViews = new Map<number, Uint8Array>();
const badViews = new Map<number, Uint8Array>();

/** A view of `length` bytes of good (zeros) or bad (0xff) data; the same view for the same (length, kind). */
export function virtualBlock(length: number, isBad: boolean): Uint8Array {
  const cache = isBad ? badViews : goodViews;
  const hit = cache.get(length);
  if (hit !== undefined) return hit;
  if (!(Number.isInteger(length) && length >= 0)) throw new RangeError(`virtualBlock: bad length ${length}`);
  let view: Uint8Array;
  if (isBad) {
    if (length > bad.length) {
      bad = new Uint8Array(grow(bad.length, length)).fill(0xff);
      badBuffers.add(bad.buffer);
    }
    view = bad.subarray(0, length);
  } else {
    if (length > good.length) {
      good = new Uint8Array(grow(good.length, length));
      goodBuffers.add(good.buffer);
    }
    view = good.subarray(0, length);
  }
  if (cache.size < 4096) cache.set(length, view);
  return view;
}

/** True if `data` is a view of a bad buffer (so it would fail a SHA-1 check). */
export function isBadData(data: Uint8Array): boolean {
  return badBuffers.has(data.buffer);
}

/** True if `data` is a view of a good virtual buffer. */
export function isVirtualGood(data: Uint8Array): boolean {
  return goodBuffers.has(data.buffer);
}

function grow(have: number, need: number): number {
  let n = have;
  while (n < need) n *= 2;
  return n;
}
