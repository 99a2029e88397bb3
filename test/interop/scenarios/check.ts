/**
 * The output contract of an interop scenario: a Node script that runs code under test
 * in-process inside a lab's namespace (started with lab.spawn(process.execPath, [script, …])).
 * It prints one JSON line per check — {"check": id, "ok": bool, "detail": …} — plus
 * {"event": …} lines for the test to synchronise on, and exits 0; the ava test asserts each
 * check (harness/scenario.ts). A check that throws is reported as not ok, never skipped.
 */
export function emit(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

export function check(id: string, ok: boolean, detail?: unknown): void {
  emit({ check: id, ok, detail: detail ?? null });
}

/** Runs the scenario; an exception becomes a {"check": "scenario", "ok": false} line. */
export function runScenario(main: () => Promise<void>): void {
  main().then(
    () => {
      emit({ event: 'done' });
      process.exit(0);
    },
    (e: unknown) => {
      check('scenario', false, { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      process.exit(1);
    },
  );
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
