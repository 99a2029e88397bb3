/**
 * Private network namespaces for interop tests. Every third-party peer runs inside one whose
 * only interface is `lo` and which has no routes: default DHT bootstrap hosts, LSD multicast,
 * UPnP and tracker lookups we forgot to switch off fail at once (ENETUNREACH) instead of
 * leaving the machine. Creating namespaces needs root (CAP_SYS_ADMIN), which CI has.
 */
import { execFileSync } from 'node:child_process';

/** 127.0.0.2–9 are listed on lo explicitly: programs that enumerate interface addresses
 * (qBittorrent) can only bind to listed ones, although all of 127/8 is local anyway. */
export const LOOPBACK_IPS = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9'];

/** RFC 2544 benchmarking addresses added as /32 on the namespace's lo (purely local to it).
 * Transmission 3.00 never dials peers in 127.0.0.0/8 (it treats them as martian); with these
 * addresses it dials like on a real network. */
export const ALTNET_IPS = ['198.18.0.1', '198.18.0.2', '198.18.0.3', '198.18.0.4', '198.18.0.5', '198.18.0.6', '198.18.0.7', '198.18.0.8', '198.18.0.9'];

const PREFIX = 'btlab-';
let counter = 0;

export interface Netns {
  readonly name: string;
  /** argv prefix that runs a command inside the namespace */
  readonly execPrefix: readonly string[];
  /** Deletes the namespace (idempotent). Processes must be stopped first (see Lab). */
  destroy(): void;
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
}

/** Namespaces left behind by a test process that died (SIGKILLed worker, ava timeout):
 * btlab-<pid>-<n> whose pid no longer runs. Deleting the name is enough — every process we
 * started in it is bounded by `timeout`, and the kernel frees the namespace with the last one. */
export function sweepStaleNamespaces(): string[] {
  const removed: string[] = [];
  let list = '';
  try {
    list = ip(['netns', 'list']);
  } catch {
    return removed;
  }
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = /^btlab-(\d+)-\d+$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    try {
      ip(['netns', 'del', name]);
      removed.push(name);
    } catch {
      /* someone else removed it first */
    }
  }
  return removed;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface NetnsOptions {
  /** also add 198.18.0.1–9/32 on lo (for Transmission, see ALTNET_IPS) */
  altnet?: boolean;
}

/** Creates btlab-<pid>-<n> with lo up and the extra addresses; throws with ip's message. */
export function createNetns(opts: NetnsOptions = {}): Netns {
  sweepStaleNamespaces();
  const name = `${PREFIX}${process.pid}-${counter++}`;
  try {
    ip(['netns', 'add', name]);
  } catch (e) {
    throw new Error(`interop: cannot create network namespace ${name} (needs root and iproute2): ${stderrOf(e)}`);
  }
  const created: Netns = {
    name,
    execPrefix: ['ip', 'netns', 'exec', name],
    destroy() {
      try {
        ip(['netns', 'del', name]);
      } catch {
        /* already gone */
      }
    },
  };
  try {
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
    const extra = LOOPBACK_IPS.slice(1).map((a) => `${a}/8`);
    if (opts.altnet) extra.push(...ALTNET_IPS.map((a) => `${a}/32`));
    for (const cidr of extra) ip(['-n', name, 'addr', 'add', cidr, 'dev', 'lo']);
  } catch (e) {
    created.destroy();
    throw new Error(`interop: cannot configure namespace ${name}: ${stderrOf(e)}`);
  }
  return created;
}

/** Addresses on the namespace's lo, e.g. for a self-test that it is isolated. */
export function namespaceAddresses(ns: Netns): { addrs: string[]; routes: string } {
  const out = ip(['-n', ns.name, '-o', 'addr', 'show']);
  const addrs = [...out.matchAll(/inet6? (\S+)/g)].map((m) => m[1] ?? '');
  const routes = ip(['-n', ns.name, 'route', 'show']);
  return { addrs, routes };
}

export function listNamespaces(): string[] {
  return ip(['netns', 'list'])
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.length > 0);
}

function stderrOf(e: unknown): string {
  const err = e as { stderr?: Buffer | string; message?: string };
  const s = err.stderr ? String(err.stderr).trim() : '';
  return s || String(err.message ?? e);
}
