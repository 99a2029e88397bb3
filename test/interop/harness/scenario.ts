/**
 * Scenarios: code under test that runs in-process (our DHT node, our tracker clients) is driven
 * from a small Node script (test/interop/scenarios/*.ts, compiled to dist/) that the lab starts
 * inside its namespace, next to the third-party program. The script prints one line per check —
 * {"check": id, "ok": bool, "detail": …} — and exits 0; the test asserts each one by id.
 */
import type { Lab } from './lab.js';
import type { ExitStatus, Proc } from './proc.js';
import { fmtStatus } from './proc.js';
import { PROJECT_ROOT, requireTool } from './tools.js';

export const SCENARIOS_DIR = `${PROJECT_ROOT}dist/test/interop/scenarios`;

export interface ScenarioCheck {
  check: string;
  ok: boolean;
  detail: unknown;
}

/** Starts dist/test/interop/scenarios/<name>.js with this Node, inside the lab's namespace. */
export function startScenario(lab: Lab, name: string, args: readonly string[], timeoutSec: number): Proc {
  requireTool('bt-lab'); // the build (dist/) must exist
  return lab.spawn(`scenario-${name}`, process.execPath, [`${SCENARIOS_DIR}/${name}.js`, ...args], { timeoutSec });
}

/** Waits for the scenario to exit (undefined status: still running at timeoutMs) and collects
 * its checks by id (a repeated id keeps the first, which is then reported as not ok). */
export async function scenarioResult(proc: Proc, timeoutMs: number): Promise<{ status: ExitStatus | undefined; checks: Map<string, ScenarioCheck>; summary: string }> {
  const status = await proc.waitExit(timeoutMs);
  const checks = new Map<string, ScenarioCheck>();
  for (const l of proc.jsonLines()) {
    if (typeof l.check !== 'string') continue;
    const c: ScenarioCheck = { check: l.check, ok: l.ok === true, detail: l.detail };
    if (checks.has(c.check)) checks.set(c.check, { ...c, ok: false, detail: { duplicate: true, first: checks.get(c.check), second: c } });
    else checks.set(c.check, c);
  }
  const summary = `${proc.name}: ${status ? fmtStatus(status) : `still running after ${timeoutMs} ms`}\n${proc.tail(40)}`;
  return { status, checks, summary };
}
