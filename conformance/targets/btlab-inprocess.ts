/**
 * bt-lab's own code as conformance targets, in-process: the codecs, and the pure servers
 * (TrackerServer, DhtNode) driven through in-process datagram/HTTP channels with a virtual
 * clock — no sockets, so these suites run in the default test suite in milliseconds.
 */
import bencodeNpm from 'bencode';
import { decode } from '../../core/bencode/decode.js';
import { encode } from '../../core/bencode/encode.js';
import { bytesToKey, type BDict, type BValue } from '../../core/bencode/types.js';
import { parseMetainfo } from '../../core/metainfo/parse.js';
import { TrackerServer } from '../../core/tracker/server/tracker-server.js';
import { DhtNode } from '../../core/dht/node.js';
import { VirtualScheduler } from '../../core/dht/testing/memory-world.js';
import { addressKey, type Address } from '../../core/seam/net.js';
import { seededRandom } from '../../core/util/prng.js';
import { BencodeError, BtLabError } from '../../core/util/errors.js';
import { utf8 } from '../../core/util/bytes.js';
import { inProcessChannel } from '../channels/datagram.js';
import { inProcessHttp } from '../channels/http.js';
import type { BencodeTarget, DhtTarget, HttpTrackerTarget, MetainfoTarget, UdpTrackerTarget } from './types.js';

export function btlabBencode(): BencodeTarget {
  return {
    name: 'bt-lab core/bencode (strict)',
    decode: (b) => decode(b),
    encode: (v) => encode(v),
    toBValue: (v) => v as BValue,
    isTypedError: (e) => e instanceof BencodeError,
  };
}

/**
 * The `bencode` npm package (4.0.1), a dependency kept as a reference: running the suite on it
 * shows what a lenient decoder accepts (see core/bencode/index.ts).
 */
export function npmBencode(): BencodeTarget {
  const toB = (v: unknown): BValue => {
    if (v instanceof Uint8Array) return new Uint8Array(v);
    if (typeof v === 'number' || typeof v === 'bigint') return v;
    if (Array.isArray(v)) return v.map(toB);
    if (v && typeof v === 'object') {
      const d = Object.create(null) as BDict;
      // The package decodes keys as UTF-8 strings: re-encode them to recover (or not) the bytes.
      for (const [k, x] of Object.entries(v)) d[bytesToKey(utf8(k))] = toB(x);
      return d;
    }
    throw new Error(`unexpected decoded value ${String(v)}`);
  };
  const fromB = (v: BValue): unknown => {
    if (v instanceof Uint8Array) return Buffer.from(v);
    if (Array.isArray(v)) return v.map(fromB);
    if (typeof v === 'object' && v !== null) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v)) o[k] = fromB((v as BDict)[k]);
      return o;
    }
    return v;
  };
  return {
    name: 'npm bencode 4.0.1',
    decode: (b) => bencodeNpm.decode(Buffer.from(b)),
    encode: (v) => new Uint8Array(bencodeNpm.encode(fromB(v))),
    toBValue: toB,
  };
}

export function btlabMetainfo(): MetainfoTarget {
  return {
    name: 'bt-lab core/metainfo parseMetainfo (strict)',
    parse: (b) => {
      const m = parseMetainfo(b);
      return { infoHash: m.info.infoHash, pieceCount: m.info.pieceCount, totalLength: m.info.totalLength, files: m.info.files.map((f) => ({ path: f.path, length: f.length })) };
    },
    isTypedError: (e) => e instanceof BtLabError,
  };
}

/** A clock that moves 50 ms per read: lazy expiry and rate limits see time pass. */
function steppingClock(): { now(): number } {
  let t = 0;
  return { now: () => (t += 50) };
}

export function btlabTrackerServer(seed = 1, allow?: ReadonlySet<string>): TrackerServer {
  return new TrackerServer({ clock: steppingClock(), random: seededRandom(seed), intervalS: 1800, allow: allow ?? null });
}

let nextPort = 40000;

export function btlabUdpTracker(server = btlabTrackerServer(), infoHash?: Uint8Array): UdpTrackerTarget {
  return {
    label: 'bt-lab TrackerServer.handleUdp (in-process)',
    infoHash,
    open: async () => inProcessChannel((data, from, reply) => {
      const r = server.handleUdp(data, from);
      if (r) reply(r);
    }, { local: { host: '127.0.0.1', port: nextPort++ } }),
  };
}

export function btlabHttpTracker(server = btlabTrackerServer(), infoHash?: Uint8Array): HttpTrackerTarget {
  let port = 41000;
  return {
    label: 'bt-lab TrackerServer.handleHttp (in-process)',
    announcePath: '/announce',
    infoHash,
    // Each request from a new port of 127.0.0.1: distinct peers, like distinct clients.
    http: inProcessHttp((path, rawQuery) => server.handleHttp({ path, rawQuery, remote: { host: '127.0.0.1', port: port++ } })),
  };
}

/** A DhtNode fed datagrams in-process, on a virtual clock; each channel is a new source port. */
export function btlabDht(seed = 1): DhtTarget {
  const sched = new VirtualScheduler();
  const routes = new Map<string, (d: Uint8Array) => void>();
  const node = new DhtNode({
    clock: sched, timers: sched, random: seededRandom(seed),
    send: (d: Uint8Array, to: Address) => routes.get(addressKey(to))?.(d),
  }, { id: seededRandom(seed).bytes(20), queryTimeoutMs: 1000 });
  return {
    label: 'bt-lab DhtNode.handleDatagram (in-process, virtual clock)',
    open: async () => inProcessChannel((data, from, reply) => {
      routes.set(addressKey(from), reply);
      sched.runUntil(sched.now() + 100);
      node.handleDatagram(data, from);
    }, { local: { host: '127.0.0.1', port: nextPort++ } }),
  };
}
