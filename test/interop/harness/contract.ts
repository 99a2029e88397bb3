/**
 * Checks of bt-lab's CLI output contract (--json): the first JSON line is
 * {"event":"listening","port":N}; "progress" lines follow (periodic, so a fast transfer may
 * print none); a finished download prints {"event":"complete"} exactly once.
 */
export function contractProblems(events: Array<Record<string, unknown>>, expectComplete: boolean): string[] {
  const problems: string[] = [];
  if (events.length === 0) return ['no JSON lines on stdout'];
  const first = events[0] as Record<string, unknown>;
  if (first.event !== 'listening') problems.push(`first JSON line is ${JSON.stringify(first)}, not {"event":"listening",...}`);
  else if (!Number.isInteger(first.port) || (first.port as number) <= 0) problems.push(`listening line has no valid port: ${JSON.stringify(first)}`);
  for (const e of events) if (typeof e.event !== 'string') problems.push(`JSON line without "event": ${JSON.stringify(e)}`);
  const completes = events.filter((e) => e.event === 'complete').length;
  if (expectComplete && completes !== 1) problems.push(`expected exactly one "complete" line, got ${completes}`);
  return problems;
}
