import test from 'ava';
import { isHard, outcomeOf, runSuite } from './runner.js';
import type { ConformanceCase } from './types.js';
import { cannotJudge, expect, notImplemented, pass } from './verdicts.js';

const mk = (id: string, level: ConformanceCase['level'], run: ConformanceCase['run'], interop?: boolean): ConformanceCase => ({
  id: `${id}:x`, clause: id, level, title: id, suite: 'bencode', style: 'exchange', interop, run,
});
const failing = async () => { expect(false, 'broken on purpose'); return pass(); };

test('outcomes: MUST and interop desc violations fail; SHOULD and non-interop desc are non-strict unless --strict', (t) => {
  const v = { kind: 'fail' as const, evidence: 'x' };
  t.is(outcomeOf(v, { level: 'MUST' }, false), 'failed');
  t.is(outcomeOf(v, { level: 'desc' }, false), 'failed');
  t.is(outcomeOf(v, { level: 'desc', interop: false }, false), 'non-strict');
  t.is(outcomeOf(v, { level: 'SHOULD' }, false), 'non-strict');
  t.is(outcomeOf(v, { level: 'SHOULD' }, true), 'failed');
  t.is(outcomeOf(v, { level: 'MAY' }, true), 'failed');
  t.false(isHard({ level: 'should' }));
});

test('runSuite: verdicts, thrown helpers, harness errors and timeouts all become outcomes', async (t) => {
  const cases: ConformanceCase[] = [
    mk('A-1', 'must', async () => pass('ok')),
    mk('A-2', 'should', failing),
    mk('A-3', 'desc', async () => notImplemented('no such feature')),
    mk('A-4', 'desc', async () => cannotJudge('nothing to see')),
    mk('A-5', 'desc', async () => { throw new TypeError('harness bug'); }),
    mk('A-6', 'desc', () => new Promise(() => {})),
  ];
  const r = await runSuite('bencode', 'test', cases, null, { caseTimeoutMs: 50 });
  t.deepEqual(r.results.map((x) => x.outcome), ['passed', 'non-strict', 'unimplemented', 'informational', 'failed', 'failed']);
  t.regex(r.results[4].evidence.join(), /TypeError: harness bug/);
  t.regex(r.results[5].evidence.join(), /timed out/);
  t.is(r.totals.executed, 5, 'unimplemented does not count as executed');
  const strict = await runSuite('bencode', 'test', [cases[1]], null, { strict: true });
  t.is(strict.results[0].outcome, 'failed');
});

test('ctx.shared memoises an exchange across the cases of one run', async (t) => {
  let made = 0;
  const share = mk('B-1', 'desc', async (_t, ctx) => { await ctx.shared('k', async () => ++made); return pass(); });
  await runSuite('bencode', 'test', [share, { ...share, id: 'B-1:y' }], null);
  t.is(made, 1);
});
