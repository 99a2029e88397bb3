/**
 * Once a command has started its orderly shutdown (announce `stopped`, flush, close sockets), a repeated
 * SIGINT/SIGTERM must not kill it midway. That repeat is common, not exotic: coreutils `timeout` and many
 * supervisors forward a signal to the child AND to the whole process group, so the child sees it twice.
 * Removing our handler on the first signal would let the second one apply the default action (death).
 */
let ignoring = false;
export function ignoreRepeatedSignals(): void {
  if (ignoring) return;
  ignoring = true;
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
}

const stopListeners = new Set<() => void>();
let stopRequested = false;
let catching = false;

/**
 * From now on SIGINT/SIGTERM never kill the process: they request an orderly stop, which
 * onStopSignal() hears — also when the signal came before anyone listened (a download being
 * stopped while it is still starting: opening files, binding the DHT). Repeated signals during
 * the shutdown are absorbed the same way.
 */
export function catchStopSignals(): void {
  if (catching) return;
  catching = true;
  const on = () => {
    stopRequested = true;
    for (const l of [...stopListeners]) l();
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
}

/** Call `cb` on a stop signal (at once if one already came). Returns an unsubscribe function. */
export function onStopSignal(cb: () => void): () => void {
  catchStopSignals();
  if (stopRequested) {
    queueMicrotask(cb);
    return () => {};
  }
  stopListeners.add(cb);
  return () => { stopListeners.delete(cb); };
}
