/**
 * How long-running commands (download, seed, tracker) stop: SIGINT/SIGTERM request an orderly
 * stop (announce `stopped`, flush, close sockets) and never kill the process midway.
 *
 * Once caught, the signals stay caught for the life of the process, because repeats are common,
 * not exotic: coreutils `timeout` and many supervisors send a signal to the child AND to its
 * whole process group, so the child sees it twice; a handler removed after the first would let
 * the second apply the default action (death) in the middle of the shutdown. A signal that comes
 * before anyone listens (a download still opening files or binding the DHT) is remembered.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

const stopListeners = new Set<(sig: StopSignal) => void>();
let stopRequested: StopSignal | null = null;
let catching = false;

/** From now on SIGINT/SIGTERM request a stop (heard by onStopSignal) instead of killing the process. */
export function catchStopSignals(): void {
  if (catching) return;
  catching = true;
  const on = (sig: StopSignal) => {
    stopRequested ??= sig;
    for (const l of [...stopListeners]) l(sig);
  };
  process.on('SIGINT', () => on('SIGINT'));
  process.on('SIGTERM', () => on('SIGTERM'));
}

/** Call `cb` on a stop signal (soon, if one already came). Returns an unsubscribe function. */
export function onStopSignal(cb: (sig: StopSignal) => void): () => void {
  catchStopSignals();
  if (stopRequested !== null) {
    const sig = stopRequested;
    queueMicrotask(() => cb(sig));
    return () => {};
  }
  stopListeners.add(cb);
  return () => { stopListeners.delete(cb); };
}
