/**
 * Transmission 3.00 (transmission-daemon in the foreground, driven by transmission-remote) in a
 * Lab, as a seeder or a downloader. Loopback facts that shape this file:
 * - it never dials peers in 127.0.0.0/8 (they are "martian" to it) but accepts incoming ones,
 *   so when it must dial, the test runs the tracker and the seeder on ALTNET_IPS (198.18.0.x);
 * - it paces itself (~28 MiB/s) and sends `interested` on a 10 s timer: keep data small and
 *   timeouts generous;
 * - encryption 0 = prefer plaintext, so its outgoing handshake is plain BEP 3 (no MSE retry).
 * Everything (settings.json, resume files, logs) lives in the Lab folder.
 */
import { mkdirSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import type { Lab } from './lab.js';
import type { Proc } from './proc.js';
import { runCommand, waitForTcp } from './proc.js';
import { requireTool } from './tools.js';

export interface TransmissionOptions {
  /** address for peer connections and the RPC port */
  ip: string;
  peerPort: number;
  rpcPort?: number;
  /** downloads go here; for a seeder, the folder that CONTAINS the torrent's data */
  downloadDir: string;
  seconds?: number;
  name?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Transmission {
  constructor(
    readonly lab: Lab,
    readonly proc: Proc,
    readonly ip: string,
    readonly peerPort: number,
    readonly rpcPort: number,
    private readonly doneFile: string,
  ) {}

  /** transmission-remote against this daemon, inside the namespace. */
  async remote(...args: string[]): Promise<string> {
    const r = await runCommand('transmission-remote', [`${this.ip}:${this.rpcPort}`, ...args], { ns: this.lab.ns, timeoutMs: 15_000 });
    if (r.code !== 0) throw new Error(`interop: transmission-remote ${args.join(' ')} failed (${r.code}): ${r.stderr || r.stdout}\n${this.proc.tail()}`);
    return r.stdout;
  }

  async add(torrent: string): Promise<void> {
    await this.remote('-a', torrent);
  }

  /** The torrent row of `transmission-remote -l`: percent done and status. */
  async status(): Promise<{ done: string; status: string; line: string }> {
    const out = await this.remote('-l');
    const line = out.split('\n').find((l) => /^\s*\d+\*?\s/.test(l)) ?? '';
    const done = /\s(\d+%|n\/a)\s/.exec(line)?.[1] ?? '?';
    const status = /\b(Seeding|Idle|Downloading|Up & Down|Verifying|Will Verify|Queued|Stopped)\b/.exec(line)?.[1] ?? '?';
    return { done, status, line: line.trim() };
  }

  /** Seeder: waits until it verified the local data (100 %, seeding or idle). */
  async waitSeeding(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = { done: '', status: '', line: '' };
    while (Date.now() < deadline) {
      last = await this.status();
      if (last.done === '100%' && (last.status === 'Seeding' || last.status === 'Idle')) return;
      if (this.proc.exitStatus) break;
      await sleep(200);
    }
    throw new Error(`interop: Transmission is not seeding (last row: ${last.line})\n${this.proc.tail()}`);
  }

  /** Downloader: waits for its torrent-done script; returns seconds since the daemon started. */
  async waitDone(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (existsSync(this.doneFile)) return (Date.now() - this.proc.startedAt) / 1000;
      if (this.proc.exitStatus) break;
      await sleep(100);
    }
    const s = await this.status().catch(() => ({ line: '(no RPC)' }));
    throw new Error(`interop: Transmission did not finish (row: ${s.line})\n${this.proc.tail()}`);
  }
}

export async function startTransmission(lab: Lab, o: TransmissionOptions): Promise<Transmission> {
  requireTool('transmission-daemon', 'transmission-remote');
  const name = o.name ?? 'transmission';
  const cfg = lab.path(`${name}-config`);
  mkdirSync(cfg, { recursive: true });
  mkdirSync(o.downloadDir, { recursive: true });
  const rpcPort = o.rpcPort ?? 9091;
  const doneFile = lab.path(`${name}.done`);
  const doneScript = lab.path(`${name}-done.sh`);
  writeFileSync(doneScript, `#!/bin/sh\necho "$TR_TORRENT_NAME" > '${doneFile}'\n`);
  chmodSync(doneScript, 0o755);
  const settings = {
    'dht-enabled': false,
    'lpd-enabled': false,
    'pex-enabled': false,
    'utp-enabled': false,
    'port-forwarding-enabled': false,
    'blocklist-enabled': false,
    encryption: 0,
    'bind-address-ipv4': o.ip,
    'bind-address-ipv6': '::1',
    'peer-port': o.peerPort,
    'peer-port-random-on-start': false,
    'download-dir': o.downloadDir,
    'incomplete-dir-enabled': false,
    'watch-dir-enabled': false,
    'start-added-torrents': true,
    'rpc-enabled': true,
    'rpc-bind-address': o.ip,
    'rpc-port': rpcPort,
    'rpc-authentication-required': false,
    'rpc-whitelist-enabled': false,
    'rpc-host-whitelist-enabled': false,
    'script-torrent-done-enabled': true,
    'script-torrent-done-filename': doneScript,
    'speed-limit-down-enabled': false,
    'speed-limit-up-enabled': false,
    'ratio-limit-enabled': false,
    'idle-seeding-limit-enabled': false,
    'message-level': 2,
  };
  writeFileSync(`${cfg}/settings.json`, JSON.stringify(settings, null, 2));
  const seconds = o.seconds ?? 120;
  const proc = lab.spawn(name, 'transmission-daemon', ['-f', '-g', cfg, '-e', lab.path(`${name}.daemon.log`)], { timeoutSec: seconds });
  try {
    await waitForTcp(lab.ns, o.ip, rpcPort, 20_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${proc.tail()}`);
  }
  return new Transmission(lab, proc, o.ip, o.peerPort, rpcPort, doneFile);
}
