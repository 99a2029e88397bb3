/**
 * A Lab is one interop test's world: a private namespace, a temp folder, and every process
 * started in them. `openLab(t)` registers the teardown with ava, so the processes are stopped
 * and the namespace deleted whether the test passes, fails or throws.
 * BTLAB_INTEROP_KEEP=1 keeps the temp folder (logs, data) for a post-mortem.
 */
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns, type Netns, type NetnsOptions } from './netns.js';
import { spawnProc, type Proc } from './proc.js';
import { requireTool } from './tools.js';

export interface LabOptions extends NetnsOptions {
  /** label used in the temp folder name */
  label?: string;
}

export class Lab {
  readonly ns: Netns;
  readonly dir: string;
  private readonly procs: Proc[] = [];
  private closed = false;

  constructor(opts: LabOptions = {}) {
    requireTool('netns', 'timeout');
    this.dir = mkdtempSync(join(tmpdir(), `btlab-interop-${sanitize(opts.label ?? 'lab')}-`));
    // opentracker drops root to 'nobody' after chrooting into a subfolder of this one
    chmodSync(this.dir, 0o755);
    this.ns = createNetns(opts);
  }

  /** Starts cmd inside the namespace, bounded by timeoutSec; logs go to <dir>/<name>.out|err. */
  spawn(name: string, cmd: string, args: readonly string[], opts: { timeoutSec: number; env?: Record<string, string>; cwd?: string; stdin?: string }): Proc {
    if (this.closed) throw new Error('interop: lab already closed');
    const p = spawnProc({ name: this.uniqueName(name), dir: this.dir, ns: this.ns, timeoutSec: opts.timeoutSec, env: opts.env, cwd: opts.cwd, stdin: opts.stdin }, cmd, args);
    this.procs.push(p);
    return p;
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** Stops every process (TERM, KILL after graceMs), deletes the namespace and the folder. */
  async close(graceMs = 5000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.procs.map((p) => p.stop(graceMs)));
    this.ns.destroy();
    if (process.env.BTLAB_INTEROP_KEEP !== '1') rmSync(this.dir, { recursive: true, force: true });
  }

  private uniqueName(name: string): string {
    const base = sanitize(name);
    const used = new Set(this.procs.map((p) => p.name));
    if (!used.has(base)) return base;
    for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
  }
}

/** Minimal view of ava's ExecutionContext, so the harness also serves bench/ scripts. */
export interface TeardownHost {
  teardown(fn: () => Promise<void> | void): void;
  title?: string;
}

/** Opens a Lab whose close() ava runs at the end of the test, pass or fail. */
export function openLab(t: TeardownHost, opts: LabOptions = {}): Lab {
  const lab = new Lab({ ...opts, label: opts.label ?? t.title ?? 'lab' });
  t.teardown(() => lab.close());
  return lab;
}

function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 40);
}
