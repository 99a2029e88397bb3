/**
 * libtorrent peers (peers/lt_peer.py, python3-libtorrent 2.0.8) in a Lab: seeders and
 * downloaders that print JSON-line events the harness waits on.
 */
import { mkdirSync, appendFileSync } from 'node:fs';
import type { Lab } from './lab.js';
import type { Proc } from './proc.js';
import { PEERS_DIR, PYTHON, requireTool } from './tools.js';

export interface LtPeerOptions {
  /** a .torrent file; or give `magnet`, or `dhtOnly` for a node with no torrent */
  torrent?: string;
  magnet?: string;
  dhtOnly?: boolean;
  /** enable libtorrent's DHT (loopback settings) and introduce these nodes (IP:PORT) */
  dht?: boolean;
  dhtNodes?: string[];
  /** seeder: the folder that contains the data; downloader: where to write it */
  saveDir: string;
  /** explicit IP:PORT; port 0 = ephemeral (read it from the listening event) */
  listen: string;
  peers?: string[];
  /** keep running after completion (a seeder always does) */
  seed?: boolean;
  noTrackers?: boolean;
  trackers?: string[];
  utp?: boolean;
  seconds?: number;
  /** extra settings_pack entries, name=value */
  set?: string[];
  /** Per-block alerts for peersSeen() (default on; benchmarks turn them off: they cost CPU). */
  blockAlerts?: boolean;
  /** every libtorrent alert (peer logs included) on stdout, for debugging */
  verbose?: boolean;
  name?: string;
}

export class LtPeer {
  readonly connectFile: string;
  constructor(
    readonly proc: Proc,
    connectFile: string,
  ) {
    this.connectFile = connectFile;
  }

  /** The TCP port it listens on. */
  async listening(timeoutMs = 15_000): Promise<{ ip: string; port: number }> {
    const e = await this.proc.waitForEvent('listening', timeoutMs);
    return { ip: String(e.ip), port: Number(e.port) };
  }

  /** Torrent checked; for a seeder, `seeding` must be true (its data was found intact). */
  async ready(timeoutMs = 30_000): Promise<{ infohash: string; seeding: boolean }> {
    const e = await this.proc.waitForEvent('ready', timeoutMs);
    return { infohash: String(e.infohash), seeding: e.seeding === true };
  }

  async seeding(timeoutMs = 30_000): Promise<{ ip: string; port: number }> {
    const where = await this.listening(timeoutMs);
    const r = await this.ready(timeoutMs);
    if (!r.seeding) throw new Error(`interop: libtorrent seeder did not find its data complete\n${this.proc.tail()}`);
    return where;
  }

  /** Resolves when the download is complete (a 'finished' event), with its time in seconds
   * since the process started. */
  async finished(timeoutMs: number): Promise<number> {
    const e = await this.proc.waitForEvent('finished', timeoutMs);
    return Number(e.seconds);
  }

  /** Dials host:port (for peers that never dial loopback themselves, e.g. Transmission). */
  dial(hostport: string): void {
    appendFileSync(this.connectFile, `${hostport}\n`);
  }

  /** Peers it exchanged payload with, as reported by libtorrent. */
  /** Peers that exchanged payload with it, one entry per address (the client name once known). */
  peersSeen(): Array<{ ip: string; port: number; client: string }> {
    const byAddr = new Map<string, { ip: string; port: number; client: string }>();
    for (const e of this.proc.jsonLines()) {
      if (e.event !== 'peer') continue;
      const k = `${String(e.ip)}:${Number(e.port)}`;
      const client = String(e.client ?? '');
      const prev = byAddr.get(k);
      if (!prev || (client && !prev.client)) byAddr.set(k, { ip: String(e.ip), port: Number(e.port), client });
    }
    return [...byAddr.values()];
  }
}

export function startLtPeer(lab: Lab, o: LtPeerOptions): LtPeer {
  requireTool('libtorrent');
  mkdirSync(o.saveDir, { recursive: true });
  const seconds = o.seconds ?? 120;
  const name = o.name ?? 'libtorrent';
  const connectFile = lab.path(`${name}.connect`);
  const source = o.dhtOnly ? ['--dht-only'] : o.magnet ? ['--magnet', o.magnet] : ['--torrent', o.torrent ?? ''];
  const args = [`${PEERS_DIR}/lt_peer.py`, ...source, '--save-dir', o.saveDir, '--listen', o.listen, '--seconds', String(seconds), '--connect-file', connectFile];
  for (const p of o.peers ?? []) args.push('--peer', p);
  for (const t of o.trackers ?? []) args.push('--tracker', t);
  for (const s of o.set ?? []) args.push('--set', s);
  if (o.noTrackers) args.push('--no-trackers');
  if (o.blockAlerts === false) args.push('--no-block-alerts');
  if (o.seed) args.push('--seed');
  if (o.utp) args.push('--utp');
  if (o.dht) args.push('--dht');
  for (const n of o.dhtNodes ?? []) args.push('--dht-node', n);
  if (o.verbose || process.env.BTLAB_INTEROP_VERBOSE === '1') args.push('--verbose');
  // the script stops itself at `seconds`; the hard bound is a little later
  // Through a wrapper that restarts the peer once if libtorrent segfaults before its first
  // line (a rare crash while creating the session; see the wrapper's doc string).
  const proc = lab.spawn(name, PYTHON, ['-u', `${PEERS_DIR}/restart_on_startup_crash.py`, PYTHON, '-u', ...args], { timeoutSec: seconds + 15 });
  return new LtPeer(proc, connectFile);
}
