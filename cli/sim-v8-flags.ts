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
    env: { ...process.env, [ENV_DONE]: '1' },
  });
  if (early) child.kill(early);
  child.on('error', (e) => { process.stderr.write(`bt-lab: could not start the simulator process: ${e.message}\n`); process.exit(1); });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] ?? 1 : 1);
    for (const sig of SIGNALS) process.off(sig, forward);
  });
  return true;
}
