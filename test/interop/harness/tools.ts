/**
 * Checks that a third-party program the interop tests drive is installed. A missing tool
 * FAILS the test with the Debian package to install — never a skip: a skipped interop test
 * reads as green in CI while proving nothing (.ci/setup installs them all).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Debian's python: python3-libtorrent is installed for it; another python3 earlier on PATH
 * (pyenv, venvs) may not have the module. */
export const PYTHON = '/usr/bin/python3';

/** The repository root, from dist/test/interop/harness/ (compiled) — four levels up. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The python helpers live in the source tree (tsc does not copy them into dist/). */
export const PEERS_DIR = `${PROJECT_ROOT}test/interop/peers`;

export type ToolName =
  | 'libtorrent'
  | 'aria2c'
  | 'opentracker'
  | 'transmission-daemon'
  | 'transmission-remote'
  | 'transmission-cli'
  | 'qbittorrent-nox'
  | 'mktorrent'
  | 'ip'
  | 'timeout'
  | 'netns'
  | 'bt-lab';

const PACKAGE: Record<ToolName, string> = {
  libtorrent: 'python3-libtorrent',
  aria2c: 'aria2',
  opentracker: 'opentracker',
  'transmission-daemon': 'transmission-daemon',
  'transmission-remote': 'transmission-cli',
  'transmission-cli': 'transmission-cli',
  'qbittorrent-nox': 'qbittorrent-nox',
  mktorrent: 'mktorrent',
  ip: 'iproute2',
  timeout: 'coreutils',
  netns: 'iproute2 (and root)',
  'bt-lab': '(npm run build)',
};

const cache = new Map<ToolName, string | null>();

/** Forget earlier probes (after PATH changed). */
export function clearToolCache(): void {
  cache.clear();
}

/** Why `name` is unusable, or null when it is there. */
export function missingReason(name: ToolName): string | null {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const reason = probe(name);
  cache.set(name, reason);
  return reason;
}

function probe(name: ToolName): string | null {
  switch (name) {
    case 'libtorrent':
      if (!existsSync(PYTHON)) return `${PYTHON} not found`;
      return ok(() => execFileSync(PYTHON, ['-c', 'import libtorrent'], { stdio: 'pipe', timeout: 20_000 }), `${PYTHON} cannot import libtorrent`);
    case 'netns':
      if (process.getuid?.() !== 0) return 'network namespaces need root (ip netns add)';
      return whichReason('ip');
    case 'bt-lab':
      return existsSync(`${PROJECT_ROOT}dist/cli/main.js`) ? null : `${PROJECT_ROOT}dist/cli/main.js not built`;
    default:
      return whichReason(name);
  }
}

function whichReason(bin: string): string | null {
  return ok(() => execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'pipe', timeout: 5000 }), `${bin} not on PATH`);
}

function ok(f: () => unknown, msg: string): string | null {
  try {
    f();
    return null;
  } catch {
    return msg;
  }
}

/** Throws (failing the test) with a clear message when any of `names` is missing. */
export function requireTool(...names: ToolName[]): void {
  const problems = names
    .map((n) => [n, missingReason(n)] as const)
    .filter(([, r]) => r !== null)
    .map(([n, r]) => `${n}: ${r} — install Debian package ${PACKAGE[n]} (bash .ci/setup does)`);
  if (problems.length > 0) throw new Error(`interop: required tool missing:\n  ${problems.join('\n  ')}`);
}
