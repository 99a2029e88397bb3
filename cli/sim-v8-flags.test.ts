import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIM_V8_FLAGS } from '../sim/gc-tuning.js';

const main = join(process.cwd(), 'dist/cli/main.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Children of `pid`, from /proc (no procps needed). */
const childrenOf = (pid: number): number[] => {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(e));
    } catch { /* gone meanwhile */ }
  }
  return out;
};

test('bt-lab sim runs in a child started with the young-generation flag; its exit status comes back', (t) => {
  const bad = spawnSync(process.execPath, [main, 'sim', '--peers', 'x'], { encoding: 'utf8', timeout: 60_000 });
  t.is(bad.status, 2);
  t.regex(bad.stderr, /peers must be an integer/);
  const ok = spawnSync(process.execPath, [main, 'sim', '--peers', '4', '--file-mib', '1', '--quiet', '--no-trace', '--json', '--out', mkdtempSync(join(tmpdir(), 'bt-lab-yg-'))], { encoding: 'utf8', timeout: 60_000 });
  t.is(ok.status, 0);
  t.is(JSON.parse(ok.stdout).summary.completed, 4);
});

test('a SIGTERM sent to bt-lab sim (the parent only, as `kill PID` does) reaches the simulator child: no orphan keeps running', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-lab-yg-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const p = spawn(process.execPath, [main, 'sim', '--peers', '2000', '--file-mib', '256', '--quiet', '--no-trace', '--out', dir], { stdio: 'ignore' });
  // The child shows up in /proc at fork, with the parent's command line until it execs: wait
  // for the simulator's own command line (up to 20 s on a loaded machine).
  const cmdlineOf = (pid: number): string[] => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; } };
  let kid: number | undefined;
  let cmdline: string[] = [];
  // Whatever happens below, nothing is left running.
  t.teardown(() => { for (const pid of [p.pid!, kid]) if (pid !== undefined) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } } });
  for (let i = 0; i < 400 && kid === undefined; i++) {
    await sleep(50);
    for (const k of childrenOf(p.pid!)) {
      const c = cmdlineOf(k);
      if (c.includes(SIM_V8_FLAGS[0])) { kid = k; cmdline = c; }
    }
  }
  t.not(kid, undefined, 'a simulator child started with the flags');
  for (const f of SIM_V8_FLAGS) t.true(cmdline.includes(f), cmdline.join(' '));
  t.is(childrenOf(p.pid!).length, 1, 'one child');
  const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  p.kill('SIGTERM');
  t.is(await exited, 128 + 15);
  let alive = true;
  for (let i = 0; i < 200 && alive; i++) { try { process.kill(kid!, 0); await sleep(50); } catch { alive = false; } }
  t.false(alive, 'the child ended too');
});

test('if bt-lab sim (the parent) is killed with SIGKILL, which it cannot pass on, the simulator child notices and stops', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-lab-yg-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // Long enough to still be running when killed (minutes), with a progress sample every simulated second.
  const p = spawn(process.execPath, [main, 'sim', '--peers', '200', '--file-mib', '256', '--quiet', '--no-trace', '--out', dir], { stdio: 'ignore' });
  let kid: number | undefined;
  t.teardown(() => { for (const pid of [p.pid!, kid]) if (pid !== undefined) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } } });
  const cmdlineOf = (pid: number): string[] => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; } };
  for (let i = 0; i < 400 && kid === undefined; i++) {
    await sleep(50);
    for (const k of childrenOf(p.pid!)) if (cmdlineOf(k).includes(SIM_V8_FLAGS[0])) kid = k;
  }
  t.not(kid, undefined, 'a simulator child started');
  await sleep(1000); // into the simulation proper
  const exited = new Promise<void>((resolve) => p.on('exit', () => resolve()));
  p.kill('SIGKILL');
  await exited;
  // Gone, or a zombie nobody has reaped yet (it stopped either way).
  const running = (pid: number): boolean => { try { const st = readFileSync(`/proc/${pid}/stat`, 'utf8'); return st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3) !== 'Z'; } catch { return false; } };
  let alive = true;
  for (let i = 0; i < 600 && alive; i++) { alive = running(kid!); if (alive) await sleep(50); }
  t.false(alive, 'the orphaned child stopped within 30 s');
});
