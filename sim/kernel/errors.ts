import { BtLabError } from '../../core/util/errors.js';

/**
 * A handler threw inside the simulation. The run stops at once (a failed event is never
 * silently dropped — SimPy's rule) and the error names WHEN (simulated ms) and WHERE (the node
 * whose handler was running, or '(world)' for scenario-level events), so a failure in a
 * 1000-node run can be replayed and looked at. The original error is `cause`.
 */
export class SimError extends BtLabError {
  readonly time: number;
  readonly node: string;
  constructor(time: number, node: string | null, cause: unknown) {
    const inner = cause instanceof Error ? cause.message : String(cause);
    const where = node ?? '(world)';
    super('ESIM', `sim: handler failed at t=${time.toFixed(3)} ms in node ${where}: ${inner}`, { time, node: where });
    this.time = time;
    this.node = where;
    (this as { cause?: unknown }).cause = cause;
    if (cause instanceof Error && cause.stack) this.stack = `${this.stack}\nCaused by: ${cause.stack}`;
  }
}

/** Misuse of the simulator API (bad spec, unknown node, send before handshake…). */
export class SimUsageError extends BtLabError {
  constructor(reason: string, context: Record<string, unknown> = {}) {
    super('ESIMUSAGE', `sim: ${reason}`, context);
  }
}
