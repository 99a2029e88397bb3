import test from 'ava';
import { seededRandom } from '../util/prng.js';
import { sha1 } from '../util/sha1.js';
import { MetadataAssembler } from './assembler.js';
import { decodeMetadataMessage, encodeMetadataMessage } from './messages.js';
import { MetadataServer } from './server.js';

const raw = seededRandom(2).bytes(40_000);
const clock = () => { let t = 0; return { c: { now: () => t }, advance: (ms: number) => { t += ms; } }; };

test('BEP9-MSG-5: without verified metadata every request is rejected; wrong metadata is refused', (t) => {
  const { c } = clock();
  const s = new MetadataServer(sha1(raw), c);
  t.deepEqual(s.handle('p', { type: 'request', piece: 0 }), { type: 'reject', piece: 0 });
  const bad = raw.slice(); bad[0] ^= 1;
  t.false(s.setMetadata(bad));
  t.is(s.metadataSize, undefined);
  t.true(s.setMetadata(raw));
  t.is(s.metadataSize, 40_000);
});

test('BEP9-MSG-4 BEP9-MSG-6: served pieces echo the index, carry total_size, and assemble back', (t) => {
  const { c } = clock();
  const s = new MetadataServer(sha1(raw), c);
  s.setMetadata(raw);
  const a = new MetadataAssembler(sha1(raw), raw.length);
  let last;
  for (let i = 0; i < 3; i++) {
    const reply = s.handle('p', decodeMetadataMessage(encodeMetadataMessage({ type: 'request', piece: i })))!;
    const wire = decodeMetadataMessage(encodeMetadataMessage(reply as Parameters<typeof encodeMetadataMessage>[0]));
    t.is(wire.type, 'data');
    if (wire.type !== 'data') return;
    t.is(wire.piece, i);
    t.is(wire.totalSize, raw.length);
    last = a.add(wire.piece, wire.data, 'p', wire.totalSize);
  }
  t.is(last?.status, 'complete');
  t.deepEqual(s.handle('p', { type: 'request', piece: 3 }), { type: 'reject', piece: 3 }); // past the end
  t.is(s.handle('p', { type: 'unknown', msgType: 9 }), null); // MSG-3
});

test('BEP9-MSG-8: a flood of requests from one peer is rejected past the limit, per window', (t) => {
  const { c, advance } = clock();
  const s = new MetadataServer(sha1(raw), c, { maxRequests: 5, windowMs: 1000 });
  s.setMetadata(raw);
  const types = Array.from({ length: 8 }, () => s.handle('flood', { type: 'request', piece: 0 })!.type);
  t.deepEqual(types, ['data', 'data', 'data', 'data', 'data', 'reject', 'reject', 'reject']);
  t.is(s.handle('other', { type: 'request', piece: 0 })!.type, 'data');
  advance(1000);
  t.is(s.handle('flood', { type: 'request', piece: 0 })!.type, 'data');
});
