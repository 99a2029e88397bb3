import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { SIM_V8_FLAGS } from '../sim/gc-tuning.js';

/**
 * `bt-lab sim` and `bt-lab compare` run with a larger young generation and a slower-growing old
 * one (sim/gc-tuning.ts says why and what it buys; compare's worker threads share the flags). V8 takes the size only at start-up, so those commands re-run
 * themselves once with the flag. Only those: a download or a seed would just hold the bigger
 * young generation as resident memory.
 */
const COMMANDS = new Set(['sim', 'compare']);
const ENV_DONE = 'BT_LAB_V8_FLAGS_SET';
/** The pid of the bt-lab process that re-ran us (set for the child only). */
const ENV_PARENT = 'BT_LAB_PARENT_PID';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * If `argv` (without node and the script) runs a simulator command in a process started
 * without the flag, run the same command in a child that has it, forward stop signals to it,
 * and exit with its status. Returns false when the caller should go on in this process.
 */
export function reexecForSimulator(argv: readonly string[]): boolean {
  const command = argv.find((a) => !a.startsWith('-'));
  if (command === undefined || !COMMANDS.has(command)) return false;
  if (process.env[ENV_DONE] || process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) return false;
  // A terminal's Ctrl-C reaches both processes; `kill PID` or a supervisor reaches only this
  // one: pass it on, and let the child decide how to end. The handlers go in BEFORE the child
  // exists, so there is no moment in which a signal would kill this process and orphan it.
  let child: ChildProcess | undefined;
  let early: NodeJS.Signals | undefined;
  const forward = (sig: NodeJS.Signals) => { if (child) child.kill(sig); else early ??= sig; };
  for (const sig of SIGNALS) process.on(sig, forward);
  child = spawn(process.execPath, [...process.execArgv, ...SIM_V8_FLAGS, process.argv[1], ...argv], {
    stdio: 'inherit',
    env: { ...process.env, [ENV_DONE]: '1', [ENV_PARENT]: String(process.pid) },
  });
  if (early) child.kill(early);
  child.on('error', (e) => { process.stderr.write(`bt-lab: could not start the simulator process: ${e.message}\n`); process.exit(1); });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] ?? 1 : 1);
    for (const sig of SIGNALS) process.off(sig, forward);
  });
  return true;
}

/**
 * In the re-run child: stop if the bt-lab process that started us is gone. It forwards every
 * signal it can catch, but a SIGKILL ends it without a word, and the child — re-parented, busy
 * in a synchronous simulation — would run on alone. The simulator calls this at each progress
 * sample (`compare` on a timer), so an orphan ends within one sample.
 */
export function exitIfParentGone(): void {
  const parent = process.env[ENV_PARENT];
  if (parent === undefined || String(process.ppid) === parent) return;
  process.stderr.write(`bt-lab: the bt-lab process that started this simulation (pid ${parent}) is gone; stopping\n`);
  process.exit(1);
}
