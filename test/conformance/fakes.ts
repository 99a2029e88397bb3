/**
 * Targets that break the rules on purpose (issue #8, item 5): each wraps bt-lab's correct
 * server and corrupts one thing, or (peers) speaks a tiny scripted wire on 127.0.0.1. The
 * fault tests check the harness reports each as failing under the right clause.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { decode } from '../../core/bencode/decode.js';
import { encode, type Encodable } from '../../core/bencode/encode.js';
import { isDict, type BDict } from '../../core/bencode/types.js';
import { encodeExtHandshake } from '../../core/extension/handshake.js';
import { decodeMetadataMessage, encodeMetadataMessage, METADATA_PIECE_SIZE } from '../../core/metadata/messages.js';
import { readU32, writeU32 } from '../../core/util/bytes.js';
import { sha1 } from '../../core/util/sha1.js';
import { WireDecoder } from '../../core/wire/decoder.js';
import { encodeMessage } from '../../core/wire/encode.js';
import { encodeHandshake, makeReserved } from '../../core/wire/handshake.js';
import type { PeerMessage } from '../../core/wire/types.js';
import { inProcessChannel } from '../../conformance/channels/datagram.js';
import { inProcessHttp } from '../../conformance/channels/http.js';
import { btlabTrackerServer } from '../../conformance/targets/btlab-inprocess.js';
import type { HttpTrackerTarget, PeerTarget, TorrentFacts, UdpTrackerTarget } from '../../conformance/targets/types.js';

type Corrupt = (reply: Uint8Array) => Uint8Array;

/** bt-lab's UDP tracker with `corrupt` applied to replies of one action (0 connect, 1 announce). */
export function faultyUdpTracker(action: number, corrupt: Corrupt): UdpTrackerTarget {
  const server = btlabTrackerServer(7);
  let port = 45000;
  return {
    label: `fake UDP tracker (action ${action} corrupted)`,
    open: async () => inProcessChannel((data, from, reply) => {
      const r = server.handleUdp(data, from);
      if (!r) return;
      reply(readU32(r, 0) === action ? corrupt(r.slice()) : r);
    }, { local: { host: '127.0.0.1', port: port++ } }),
  };
}

export const wrongTxid: Corrupt = (r) => { writeU32(r, 4, (readU32(r, 4) + 1) >>> 0); return r; };
export const wrongAction = (a: number): Corrupt => (r) => { writeU32(r, 0, a); return r; };
/** Five stray bytes after the peers: not a multiple of 6 (BEP15-ANN-3). */
export const ragged: Corrupt = (r) => { const o = new Uint8Array(r.length + 5); o.set(r); return o; };
/** What the Debian opentracker sends for a hash it does not track: 8 bytes, action 1. */
export const eightBytes: Corrupt = (r) => r.slice(0, 8);

/** bt-lab's HTTP tracker re-encoded with dict keys in reverse order (BEP3-BENC-7). */
export function unsortedHttpTracker(): HttpTrackerTarget {
  const server = btlabTrackerServer(9);
  let port = 46000;
  return {
    label: 'fake HTTP tracker (unsorted keys)',
    announcePath: '/announce',
    http: inProcessHttp((path, rawQuery) => {
      const r = server.handleHttp({ path, rawQuery, remote: { host: '127.0.0.1', port: port++ } });
      const d = decode(r.body);
      return { status: r.status, body: isDict(d) ? encodeReversed(d) : r.body };
    }),
  };
}

function encodeReversed(d: BDict): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(0x64)];
  for (const k of Object.keys(d).sort().reverse()) {
    parts.push(encode(Uint8Array.from(k, (c) => c.charCodeAt(0))), encode(d[k] as Encodable));
  }
  parts.push(Uint8Array.of(0x65));
  return Buffer.concat(parts);
}

/** A torrent the fake peers pretend to seed: 10 pieces (2 spare bits), real hashes of zeros. */
export function fakeTorrent(): TorrentFacts & { rawInfo: Uint8Array } {
  const pieceLength = 16384, pieceCount = 10;
  const zero = sha1(new Uint8Array(pieceLength));
  const pieces = new Uint8Array(20 * pieceCount);
  for (let i = 0; i < pieceCount; i++) pieces.set(zero, 20 * i);
  // Over 16 KiB of info so ut_metadata has two pieces.
  const rawInfo = encode({ length: pieceLength * pieceCount, name: 'fake.bin', 'piece length': pieceLength, pieces, padding: new Uint8Array(20000) });
  return { infoHash: sha1(rawInfo), pieceCount, pieceLength, totalLength: pieceLength * pieceCount, pieces, rawInfo };
}

export interface FakePeerFaults {
  /** Send a bitfield with the spare bits set (BEP3-MSG-7). */
  spareBits?: boolean;
  /** Flip a byte of every ut_metadata data piece (BEP9-META-1). */
  badMetadata?: boolean;
}

/**
 * A scripted peer on 127.0.0.1: handshake (extension bit), extension handshake with
 * ut_metadata, a full bitfield, unchoke on interested, zero blocks for requests, ut_metadata
 * data on request — with the chosen faults.
 */
export async function startFakePeer(faults: FakePeerFaults): Promise<{ target: PeerTarget; close(): Promise<void> }> {
  const torrent = fakeTorrent();
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    let theirUtMetadata = 0;
    const send = (m: PeerMessage) => sock.write(encodeMessage(m));
    const dec = new WireDecoder({
      handshake: () => {
        sock.write(encodeHandshake({ reserved: makeReserved({ extension: true }), infoHash: torrent.infoHash, peerId: new Uint8Array(20).fill(0x46) }));
        send({ type: 'extended', id: 0, payload: encodeExtHandshake({ m: { ut_metadata: 2 }, metadataSize: torrent.rawInfo.length, v: 'fake' }) });
        const bits = new Uint8Array(Math.ceil(torrent.pieceCount / 8)).fill(0xff);
        if (!faults.spareBits) bits[bits.length - 1] = 0xff << (bits.length * 8 - torrent.pieceCount) & 0xff;
        send({ type: 'bitfield', bits });
      },
      message: (m) => {
        if (m.type === 'interested') send({ type: 'unchoke' });
        else if (m.type === 'request' && m.length <= 16384) send({ type: 'piece', index: m.index, begin: m.begin, block: new Uint8Array(m.length) });
        else if (m.type === 'extended' && m.id === 0) {
          const h = decode(m.payload, { strict: false }) as BDict;
          const mm = isDict(h.m) ? h.m : {};
          theirUtMetadata = typeof mm.ut_metadata === 'number' ? mm.ut_metadata : 0;
        } else if (m.type === 'extended' && m.id === 2 && theirUtMetadata) {
          const q = decodeMetadataMessage(m.payload);
          if (q.type !== 'request') return;
          const start = q.piece * METADATA_PIECE_SIZE;
          if (start >= torrent.rawInfo.length) { send({ type: 'extended', id: theirUtMetadata, payload: encodeMetadataMessage({ type: 'reject', piece: q.piece }) }); return; }
          const data = torrent.rawInfo.slice(start, start + METADATA_PIECE_SIZE);
          if (faults.badMetadata) data[0] ^= 0x55;
          send({ type: 'extended', id: theirUtMetadata, payload: encodeMetadataMessage({ type: 'data', piece: q.piece, totalSize: torrent.rawInfo.length, data }) });
        }
      },
    });
    sock.on('data', (c: Buffer) => { try { dec.push(new Uint8Array(c)); } catch { sock.destroy(); } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    target: { label: `fake peer 127.0.0.1:${port}`, address: { host: '127.0.0.1', port }, torrent, unchokeTimeoutMs: 3000 },
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
