/**
 * bt-lab's own CLI (dist/cli/main.js) as a peer in a Lab, through its stable contract:
 *   download <file.torrent> -o <dir> [--peer host:port]... [--port N] [--bind IP] [--json] [--seed]
 *   seed <file.torrent> <data path> [--port N] [--bind IP] [--json]
 * With --json: {"event":"listening","port":N} first, then "progress" lines, then "complete".
 * A download exits 0 once complete and verified (unless --seed); a seed runs until SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import type { Lab } from './lab.js';
import type { Proc } from './proc.js';
import { PROJECT_ROOT, requireTool } from './tools.js';

export const BTLAB_CLI = `${PROJECT_ROOT}dist/cli/main.js`;

export interface BtLabDownloadOptions {
  torrent: string;
  outDir: string;
  peers?: string[];
  port?: number;
  bind?: string;
  seed?: boolean;
  seconds?: number;
  name?: string;
  /** more CLI flags (e.g. --dht-bootstrap) */
  extra?: string[];
}

export interface BtLabSeedOptions {
  torrent: string;
  /** the data: the file of a single-file torrent, or the torrent's folder */
  dataPath: string;
  port?: number;
  bind?: string;
  seconds?: number;
  name?: string;
  extra?: string[];
}

export class BtLabPeer {
  constructor(readonly proc: Proc) {}

  /** Port from the first JSON line, {"event":"listening","port":N}. */
  async listening(timeoutMs = 15_000): Promise<number> {
    const e = await this.proc.waitForEvent('listening', timeoutMs);
    const port = Number(e.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`interop: bt-lab printed a bad listening port ${JSON.stringify(e)}`);
    return port;
  }

  /** Waits for {"event":"complete"}; returns seconds since the process started. */
  async complete(timeoutMs: number): Promise<number> {
    await this.proc.waitForEvent('complete', timeoutMs);
    return (Date.now() - this.proc.startedAt) / 1000;
  }

  /** For a download without --seed: waits for the process to exit, and requires exit 0. */
  async exitsCleanly(timeoutMs: number): Promise<void> {
    const s = await this.proc.waitExit(timeoutMs);
    if (!s) throw new Error(`interop: bt-lab still running after ${timeoutMs} ms\n${this.proc.tail()}`);
    if (s.code !== 0) throw new Error(`interop: bt-lab exited with ${s.code ?? s.signal}\n${this.proc.tail()}`);
  }

  /** Every JSON line printed, in order (for contract checks). */
  events(): Array<Record<string, unknown>> {
    return this.proc.jsonLines();
  }
}

function common(o: { port?: number | undefined; bind?: string | undefined }): string[] {
  const a: string[] = ['--json'];
  if (o.port !== undefined) a.push('--port', String(o.port));
  if (o.bind !== undefined) a.push('--bind', o.bind);
  return a;
}

export function startBtLabDownload(lab: Lab, o: BtLabDownloadOptions): BtLabPeer {
  requireTool('bt-lab');
  mkdirSync(o.outDir, { recursive: true });
  const args = [BTLAB_CLI, 'download', o.torrent, '-o', o.outDir, ...common(o)];
  for (const p of o.peers ?? []) args.push('--peer', p);
  if (o.seed) args.push('--seed');
  args.push(...(o.extra ?? []));
  return new BtLabPeer(lab.spawn(o.name ?? 'btlab-download', process.execPath, args, { timeoutSec: o.seconds ?? 120 }));
}

export function startBtLabSeed(lab: Lab, o: BtLabSeedOptions): BtLabPeer {
  requireTool('bt-lab');
  const args = [BTLAB_CLI, 'seed', o.torrent, o.dataPath, ...common(o), ...(o.extra ?? [])];
  return new BtLabPeer(lab.spawn(o.name ?? 'btlab-seed', process.execPath, args, { timeoutSec: o.seconds ?? 120 }));
}
