/**
 * Targets reached by address (any implementation): `udp://host:port`, `http://host:port/announce`,
 * `host:port` for peers and DHT nodes. Each run talks only to the address given.
 */
import { readFileSync } from 'node:fs';
import type { Address } from '../../core/seam/net.js';
import { parseMetainfo } from '../../core/metainfo/parse.js';
import { fromHex } from '../../core/util/bytes.js';
import { BtLabError } from '../../core/util/errors.js';
import { openUdpChannel } from '../channels/datagram.js';
import { httpChannel } from '../channels/http.js';
import type { DhtTarget, HttpTrackerTarget, PeerTarget, TorrentFacts, UdpTrackerTarget } from './types.js';

/** `host:port`, `[v6]:port`. */
export function parseHostPort(s: string): Address {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw new BtLabError('EADDR', `conformance: expected host:port, got ${JSON.stringify(s)}`);
  return { host: m[1], port };
}

export function parseInfoHash(hex: string | undefined): Uint8Array | undefined {
  if (hex === undefined) return undefined;
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) throw new BtLabError('EARG', `conformance: --info-hash must be 40 hex digits`);
  return fromHex(hex);
}

export function udpTrackerAt(url: string, infoHash?: Uint8Array): UdpTrackerTarget {
  const u = new URL(url);
  if (u.protocol !== 'udp:') throw new BtLabError('EADDR', `conformance: not a udp:// URL: ${url}`);
  const to = { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) };
  if (!(to.port >= 1)) throw new BtLabError('EADDR', `conformance: ${url} has no port`);
  return { label: url, infoHash, open: () => openUdpChannel(to, { maxPackets: 64 }) };
}

export function httpTrackerAt(url: string, infoHash?: Uint8Array): HttpTrackerTarget {
  const u = new URL(url);
  if (u.protocol !== 'http:') throw new BtLabError('EADDR', `conformance: not an http:// URL: ${url}`);
  return { label: url, infoHash, http: httpChannel(u, { maxRequests: 64 }), announcePath: u.pathname || '/announce' };
}

export function dhtAt(hostPort: string): DhtTarget {
  const to = parseHostPort(hostPort);
  return { label: `dht ${hostPort}`, open: () => openUdpChannel(to, { maxPackets: 64 }) };
}

export function torrentFactsFromFile(path: string): TorrentFacts {
  let buf: Uint8Array;
  try { buf = readFileSync(path); } catch (e) { throw new BtLabError('ETORRENT', `conformance: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  const info = parseMetainfo(buf, { strict: false }).info;
  return { infoHash: info.infoHash, pieceCount: info.pieceCount, pieceLength: info.pieceLength, totalLength: info.totalLength, pieces: info.pieces, rawInfo: info.rawInfo };
}

export function peerAt(hostPort: string, torrent: TorrentFacts, opts: { unchokeTimeoutMs?: number } = {}): PeerTarget {
  return { label: `peer ${hostPort}`, address: parseHostPort(hostPort), torrent, unchokeTimeoutMs: opts.unchokeTimeoutMs };
}
