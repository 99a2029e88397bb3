import { BtLabError } from '../core/util/errors.js';

/**
 * How every command reports failure: a one-line reason and a non-zero exit, with the stack
 * only under --debug. Commands throw; this is the single place that turns errors into exits.
 */
export function failAndExit(err: unknown, debug: boolean): never {
  const e = err instanceof Error ? err : new Error(String(err));
  const line = e instanceof BtLabError ? e.message : `${e.name === 'Error' ? 'error' : e.name}: ${e.message}`;
  process.stderr.write(`bt-lab: ${line}\n`);
  if (debug) process.stderr.write(`${e.stack ?? ''}\n`);
  process.exit(e instanceof BtLabError ? 2 : 1);
}

/** Wrap a command handler so a thrown or rejected error exits through failAndExit. */
export function handler<A extends { debug?: boolean }>(fn: (argv: A) => Promise<void> | void): (argv: A) => Promise<void> {
  return async (argv: A) => {
    try {
      await fn(argv);
    } catch (err) {
      failAndExit(err, Boolean(argv.debug));
    }
  };
}

/**
 * yargs coerce for a single-valued option given twice: the last one wins, as in most CLIs
 * (a script's `--out X "$@"` can then be redirected by its caller). Without it yargs makes
 * an array and the command fails deep inside with a type error.
 */
export const lastWins = <T>(v: T | T[]): T => (Array.isArray(v) ? v[v.length - 1] : v);
