/**
 * Child processes for interop tests: each runs under a hard `timeout` (so nothing outlives a
 * crashed test by more than its bound), in its own process group (so a final SIGKILL reaches
 * every child it forked), inside a namespace when given one, with stdout/stderr in files (so a
 * failing test can quote the logs, and a chatty peer never blocks on a full pipe).
 */
import { spawn, execFile } from 'node:child_process';
import { appendFileSync, openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Netns } from './netns.js';

export interface SpawnOptions {
  /** label for logs and file names (stdout → <dir>/<name>.out, stderr → <dir>/<name>.err) */
  name: string;
  /** folder for the log files */
  dir: string;
  /** hard bound in seconds: `timeout` sends TERM then, and KILL 5 s later */
  timeoutSec: number;
  ns?: Netns | undefined;
  env?: Record<string, string> | undefined;
  cwd?: string | undefined;
  /** a file or FIFO to use as stdin (opened read-write, so opening a FIFO never blocks and the
   * reader never sees EOF while it runs); default: no stdin */
  stdin?: string | undefined;
}

export interface ExitStatus {
  /** exit code of the command (124 = killed by the hard timeout), null when signalled */
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Every live Proc, so a dying test worker can still kill them all (see process 'exit'). */
const live = new Set<Proc>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.killNow();
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The environment for children: ours without proxy settings (the namespace has no route to
 * any proxy, and aria2, libcurl in Transmission and python's urllib would all try one). */
export function childEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^(https?|ftp|all|no)_proxy$/i.test(k)) delete env[k];
  return { ...env, ...extra };
}

export class Proc {
  readonly name: string;
  readonly pid: number;
  readonly stdoutPath: string;
  readonly stderrPath: string;
  readonly exited: Promise<ExitStatus>;
  readonly startedAt = Date.now();
  private status: ExitStatus | undefined;

  constructor(opts: SpawnOptions, cmd: string, args: readonly string[]) {
    this.name = opts.name;
    this.stdoutPath = join(opts.dir, `${opts.name}.out`);
    this.stderrPath = join(opts.dir, `${opts.name}.err`);
    const out = openSync(this.stdoutPath, 'w');
    const err = openSync(this.stderrPath, 'w');
    const input = opts.stdin !== undefined ? openSync(opts.stdin, 'r+') : 'ignore';
    // --foreground: on a signal, timeout forwards it to the command exactly once. Without it,
    // timeout also re-sends it to its whole group, and a program that shuts down cleanly on the
    // first SIGTERM would be killed by the duplicate. The group is still ours (detached), so
    // stop() and the exit hook can reach any grandchildren with SIGKILL.
    const argv = ['--foreground', '-k', '5', String(opts.timeoutSec), ...(opts.ns ? opts.ns.execPrefix : []), cmd, ...args];
    // detached: the child calls setsid(), so its pid is also its process-group id
    const child = spawn('timeout', argv, {
      detached: true,
      stdio: [input, out, err],
      env: childEnv(opts.env),
      cwd: opts.cwd,
    });
    closeSync(out);
    closeSync(err);
    if (typeof input === 'number') closeSync(input);
    if (child.pid === undefined) throw new Error(`interop: could not spawn ${cmd}`);
    this.pid = child.pid;
    live.add(this);
    installExitHook();
    this.exited = new Promise<ExitStatus>((resolve) => {
      const done = (s: ExitStatus) => {
        if (this.status) return;
        this.status = s;
        live.delete(this);
        // leftovers of the group (a script the program forked) die with it
        this.signalGroup('SIGKILL');
        resolve(s);
      };
      child.on('exit', (code, signal) => done({ code, signal }));
      child.on('error', (e) => {
        writeNote(this.stderrPath, `spawn error: ${e.message}`);
        done({ code: null, signal: null });
      });
    });
    child.unref();
  }

  get exitStatus(): ExitStatus | undefined {
    return this.status;
  }

  stdout(): string {
    return readText(this.stdoutPath);
  }

  stderr(): string {
    return readText(this.stderrPath);
  }

  /** The last lines of both logs, for error messages. */
  tail(lines = 25): string {
    const cut = (s: string) => s.trimEnd().split('\n').slice(-lines).join('\n');
    return `--- ${this.name} stdout (${this.stdoutPath}) ---\n${cut(this.stdout())}\n--- ${this.name} stderr ---\n${cut(this.stderr())}`;
  }

  /** JSON objects printed one per line on stdout (other lines are skipped). */
  jsonLines(): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const line of this.stdout().split('\n')) {
      const s = line.trim();
      if (!s.startsWith('{')) continue;
      try {
        const v: unknown = JSON.parse(s);
        if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
      } catch {
        /* a partial last line: read again on the next poll */
      }
    }
    return out;
  }

  /** Polls the logs (every 50 ms) until `test` returns a value; fails fast when the process
   * exits first or after timeoutMs, quoting the logs. */
  async waitUntil<T>(what: string, test: () => T | undefined, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = test();
      if (v !== undefined) return v;
      if (this.status) {
        const again = test(); // output written just before exit
        if (again !== undefined) return again;
        throw new Error(`interop: ${this.name} exited (${fmtStatus(this.status)}) before ${what}\n${this.tail()}`);
      }
      if (Date.now() > deadline) throw new Error(`interop: ${this.name}: no ${what} within ${timeoutMs} ms\n${this.tail()}`);
      await sleep(50);
    }
  }

  /** Waits for a regex to match stdout or stderr. */
  waitForOutput(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return this.waitUntil(`output matching ${re}`, () => this.stdout().match(re) ?? this.stderr().match(re) ?? undefined, timeoutMs);
  }

  /** Waits for a JSON line whose "event" is `event` (and that passes `pred`). */
  waitForEvent(event: string, timeoutMs: number, pred: (e: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
    return this.waitUntil(`{"event":"${event}"} line`, () => this.jsonLines().find((e) => e.event === event && pred(e)), timeoutMs);
  }

  /** Waits for the process to exit by itself; undefined when it is still running at timeoutMs. */
  async waitExit(timeoutMs: number): Promise<ExitStatus | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((r) => {
      timer = setTimeout(() => r(undefined), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One SIGTERM to the command (through timeout, which forwards it), SIGKILL to the whole
   * group after graceMs. Resolves with the exit status. */
  async stop(graceMs = 5000): Promise<ExitStatus> {
    if (this.status) return this.status;
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      /* exited meanwhile */
    }
    const s = await this.waitExit(graceMs);
    if (s) return s;
    this.signalGroup('SIGKILL');
    // The child is unref'd: wait with a (ref'd) timer, or the event loop may empty and the
    // test worker exit before the 'exit' event is delivered.
    return (await this.waitExit(10_000)) ?? { code: null, signal: 'SIGKILL' };
  }

  /** Synchronous last resort (process 'exit' hook): SIGKILL the group. */
  killNow(): void {
    this.signalGroup('SIGKILL');
  }

  signalGroup(sig: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, sig);
    } catch {
      /* already gone */
    }
  }
}

export function spawnProc(opts: SpawnOptions, cmd: string, args: readonly string[]): Proc {
  return new Proc(opts, cmd, args);
}

export function fmtStatus(s: ExitStatus): string {
  if (s.code === 124) return 'killed by its hard timeout';
  return s.signal ? `signal ${s.signal}` : `exit code ${s.code}`;
}

/** Runs a short command to completion (inside ns if given) and returns its output. */
export function runCommand(
  cmd: string,
  args: readonly string[],
  opts: { ns?: Netns | undefined; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const argv = opts.ns ? [...opts.ns.execPrefix, cmd, ...args] : [cmd, ...args];
  return new Promise((resolve) => {
    execFile(
      argv[0] as string,
      argv.slice(1),
      { timeout: opts.timeoutMs ?? 30_000, killSignal: 'SIGKILL', env: childEnv(opts.env), maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Polls until host:port accepts a TCP connection inside the namespace (bounded loop: one
 * bash /dev/tcp attempt per try, 50 ms apart). */
export async function waitForTcp(ns: Netns | undefined, host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await runCommand('bash', ['-c', `exec 3<>/dev/tcp/${host}/${port}`], { ns, timeoutMs: 2000 });
    if (r.code === 0) return;
    if (Date.now() > deadline) throw new Error(`interop: nothing accepts TCP on ${host}:${port} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

function readText(path: string): string {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  } catch {
    return '';
  }
}

function writeNote(path: string, note: string): void {
  try {
    appendFileSync(path, `\n[harness] ${note}\n`);
  } catch {
    /* the log folder is gone: nothing to add to */
  }
}
