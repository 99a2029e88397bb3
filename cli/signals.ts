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
