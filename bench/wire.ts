/**
 * Peer-wire codec benchmark: decode and encode throughput, plus the real PeerNet over
 * loopback TCP. Run: `npx tsc -p . && node dist/bench/wire.js [--mib 128] [--no-net]`.
 *
 * Figures are wall-clock on whatever machine runs this; they are for comparing changes to the
 * codec, not assertions (no test depends on them).
 */
import { performance } from 'node:perf_hooks';
import { WireDecoder } from '../core/wire/decoder.js';
import { makeReserved } from '../core/wire/handshake.js';
import { encodeMessage, encodeMessages, encodePieceHeader } from '../core/wire/encode.js';
import { BLOCK_SIZE, type Handshake, type PeerMessage } from '../core/wire/types.js';
import { createNodePeerNet } from '../host/net/peer-net.js';
import type { PeerLink } from '../core/seam/net.js';

const args = process.argv.slice(2);
const MIB = Number(args[args.indexOf('--mib') + 1]) || 128;
const withNet = !args.includes('--no-net');
const CHUNK = 64 * 1024;

const hs: Handshake = { reserved: makeReserved({ fast: true }), infoHash: new Uint8Array(20).fill(1), peerId: new Uint8Array(20).fill(2) };

interface Row { case: string; bytes: number; items: number; ms: number }
const rows: Row[] = [];

/** One warm-up pass (JIT), then the median of three timed passes. */
function time(name: string, bytes: number, items: number, fn: () => void): void {
  fn();
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    fn();
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  rows.push({ case: name, bytes, items, ms: runs[1] });
}

/** A stream of piece messages (16 KiB blocks), `mib` MiB long, as one buffer. */
function pieceStream(mib: number, blockSize: number): { bytes: Uint8Array; count: number } {
  const count = Math.floor((mib * 1024 * 1024) / (13 + blockSize));
  const block = new Uint8Array(blockSize).map((_, i) => i & 255);
  const out = new Uint8Array(count * (13 + blockSize));
  let o = 0;
  for (let i = 0; i < count; i++) {
    out.set(encodePieceHeader(i >>> 4, (i & 15) * blockSize, blockSize), o);
    out.set(block, o + 13);
    o += 13 + blockSize;
  }
  return { bytes: out, count };
}

function decodeInChunks(stream: Uint8Array, chunk: number): number {
  let n = 0;
  const d = new WireDecoder({ handshake() {}, message() { n++; } }, { expectHandshake: false });
  // Views into one big buffer: the decoder aliases blocks into it (never mutated here).
  for (let o = 0; o < stream.length; o += chunk) d.push(stream.subarray(o, Math.min(o + chunk, stream.length)));
  return n;
}

// --- decode -----------------------------------------------------------------------------------
for (const blockSize of [BLOCK_SIZE, 128 * 1024]) {
  const { bytes, count } = pieceStream(MIB, blockSize);
  time(`decode piece ${blockSize / 1024} KiB blocks, 64 KiB chunks`, bytes.length, count, () => {
    if (decodeInChunks(bytes, CHUNK) !== count) throw new Error('decode lost messages');
  });
}
{
  const { bytes, count } = pieceStream(Math.min(MIB, 64), BLOCK_SIZE);
  time('decode piece 16 KiB blocks, 1500 B chunks (MTU-sized reads)', bytes.length, count, () => {
    if (decodeInChunks(bytes, 1500) !== count) throw new Error('decode lost messages');
  });
}
{
  const small: PeerMessage[] = [];
  for (let i = 0; i < 1_000_000; i++) small.push(i % 3 === 0 ? { type: 'have', index: i } : i % 3 === 1 ? { type: 'request', index: i, begin: 0, length: BLOCK_SIZE } : { type: 'interested' });
  const bytes = encodeMessages(small);
  time('decode 1M small messages (have/request/interested), 64 KiB chunks', bytes.length, small.length, () => {
    if (decodeInChunks(bytes, CHUNK) !== small.length) throw new Error('decode lost messages');
  });

  // --- encode ---------------------------------------------------------------------------------
  time('encode 1M small messages, one encodeMessage each', bytes.length, small.length, () => {
    for (const m of small) encodeMessage(m);
  });
  time('encode 1M small messages, encodeMessages batches of 100', bytes.length, small.length, () => {
    for (let i = 0; i < small.length; i += 100) encodeMessages(small.slice(i, i + 100));
  });
}
{
  const count = Math.floor((MIB * 1024 * 1024) / (13 + BLOCK_SIZE));
  const block = new Uint8Array(BLOCK_SIZE);
  time('encode piece 16 KiB, encodeMessage (copies the block)', count * (13 + BLOCK_SIZE), count, () => {
    for (let i = 0; i < count; i++) encodeMessage({ type: 'piece', index: i, begin: 0, block });
  });
  time('encode piece 16 KiB, encodePieceHeader only (block written by reference)', count * (13 + BLOCK_SIZE), count, () => {
    for (let i = 0; i < count; i++) encodePieceHeader(i, 0, BLOCK_SIZE);
  });
}

function print(): void {
  const fmt = (r: Row) => ({
    case: r.case,
    MiB: (r.bytes / 1048576).toFixed(0),
    'MB/s': ((r.bytes / 1e6) / (r.ms / 1000)).toFixed(0),
    'Mmsg/s': ((r.items / 1e6) / (r.ms / 1000)).toFixed(2),
    ms: r.ms.toFixed(1),
  });
  console.log(`bt-lab wire bench — node ${process.version}, ${MIB} MiB streams`);
  console.table(rows.map(fmt));
}

// --- the real PeerNet over loopback TCP --------------------------------------------------------
async function loopback(): Promise<void> {
  const pn = createNodePeerNet({ listenHost: '127.0.0.1', lowWater: 256 * 1024 });
  const total = Math.floor((MIB * 1024 * 1024) / BLOCK_SIZE);
  const block = new Uint8Array(BLOCK_SIZE).fill(7);
  let t0 = 0;
  await new Promise<void>((resolve, reject) => {
    pn.listen(0, (server: PeerLink) => {
      let got = 0;
      server.attach({
        onHandshake() {},
        onMessage(m) {
          if (m.type !== 'piece') return;
          if (++got === total) {
            rows.push({ case: 'PeerNet loopback TCP, piece 16 KiB (send+decode)', bytes: total * (13 + BLOCK_SIZE), items: total, ms: performance.now() - t0 });
            server.close('done');
            resolve();
          }
        },
        onDrain() {},
        onClose() {},
      });
    }, (err, l) => {
      if (err || !l) { reject(err); return; }
      const c = pn.connect({ host: '127.0.0.1', port: l.port });
      let sent = 0;
      // Keep ~4 MiB queued: refill on every drain, as the core's upload pump does.
      const pump = () => {
        while (sent < total && c.queuedBytes() < 4 * 1024 * 1024) c.send({ type: 'piece', index: sent >>> 4, begin: (sent++ & 15) * BLOCK_SIZE, block });
      };
      c.attach({ onHandshake() {}, onMessage() {}, onDrain: pump, onClose() { l.close(); } });
      t0 = performance.now();
      c.sendHandshake(hs);
      pump();
    });
  });
}

if (withNet) await loopback();
print();
