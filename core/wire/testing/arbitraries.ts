import fc from 'fast-check';
import { MSG_ID, type Handshake, type PeerMessage } from '../types.js';

/**
 * fast-check generators for the peer-wire vocabulary, shared by the codec's tests and by
 * anyone who wants to fuzz a consumer of PeerMessage (simulator, conformance harness).
 */

const KNOWN = new Set<number>(Object.values(MSG_ID));
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (maxLength: number) => fc.uint8Array({ maxLength });

export const arbHandshake: fc.Arbitrary<Handshake> = fc.record({
  reserved: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  infoHash: fc.uint8Array({ minLength: 20, maxLength: 20 }),
  peerId: fc.uint8Array({ minLength: 20, maxLength: 20 }),
});

/** Any encodable message. `maxBlock` bounds piece blocks (some exceed a 64 KiB chunk when large). */
export function arbPeerMessage(opts: { maxBlock?: number; maxPayload?: number } = {}): fc.Arbitrary<PeerMessage> {
  const maxBlock = opts.maxBlock ?? 600;
  const maxPayload = opts.maxPayload ?? 200;
  const block = (type: 'request' | 'cancel' | 'reject') =>
    fc.record({ type: fc.constant(type), index: u32, begin: u32, length: u32 });
  const index = (type: 'have' | 'suggest' | 'allowed_fast') => fc.record({ type: fc.constant(type), index: u32 });
  return fc.oneof(
    fc.constantFrom<PeerMessage>(
      { type: 'keepalive' }, { type: 'choke' }, { type: 'unchoke' }, { type: 'interested' },
      { type: 'not_interested' }, { type: 'have_all' }, { type: 'have_none' },
    ),
    index('have'), index('suggest'), index('allowed_fast'),
    fc.record({ type: fc.constant('bitfield' as const), bits: bytes(maxPayload) }),
    block('request'), block('cancel'), block('reject'),
    fc.record({ type: fc.constant('piece' as const), index: u32, begin: u32, block: bytes(maxBlock) }),
    fc.record({ type: fc.constant('port' as const), port: fc.integer({ min: 0, max: 0xffff }) }),
    fc.record({ type: fc.constant('extended' as const), id: fc.integer({ min: 0, max: 255 }), payload: bytes(maxPayload) }),
    fc.record({
      type: fc.constant('unknown' as const),
      id: fc.integer({ min: 0, max: 255 }).filter((id) => !KNOWN.has(id)),
      payload: bytes(maxPayload),
    }),
  ) as fc.Arbitrary<PeerMessage>;
}

/** Split `bytes` at the given (sorted, deduplicated, clamped) cut points. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.min(Math.max(0, c), bytes.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) { out.push(bytes.slice(prev, p)); prev = p; }
  out.push(bytes.slice(prev));
  return out;
}
