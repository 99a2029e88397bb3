/**
 * The parser behind the last line of `.ci/run` ("N passed, N failed"), on ava 7 outputs:
 * ava prints no passed count when anything failed, so passes are counted from ✔ lines then.
 */
import test from 'ava';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './harness/tools.js';

type Summary = { passed: number; failed: number; found: boolean };
const { summarize } = (await import(pathToFileURL(`${PROJECT_ROOT}.ci/ava-summary.mjs`).href)) as { summarize: (s: string) => Summary };

test('ci summary: an all-green run uses ava\'s "N tests passed" line', (t) => {
  const out = ['  ✔ a › one', '  ✔ a › two (1.2s)', '    ℹ log line', '  ─', '', '  2 tests passed', '  1 test skipped', ''].join('\n');
  t.deepEqual(summarize(out), { passed: 2, failed: 0, found: true });
});

test('ci summary: with failures, passes are the ✔ lines and every kind of failure counts', (t) => {
  const out = [
    '  ✔ a › one',
    '  ✘ [fail]: a › two Rejected promise',
    '  ✔ [expected fail] b › known',
    '  ✔ b › three',
    '  ✘ 2 tests remaining in dist/x.test.js',
    '  ─',
    '  1 test failed',
    '  1 hook failed',
    '  1 known failure',
    '  1 uncaught exception',
    '  2 unhandled rejections',
    '  1 test remained pending after a timeout',
  ].join('\n');
  t.deepEqual(summarize(out), { passed: 2, failed: 1 + 1 + 1 + 1 + 2 + 1 + 2, found: true });
});

test('ci summary: colours are stripped and singular forms parse', (t) => {
  t.deepEqual(summarize('\x1b[32m  ✔ x\x1b[39m\n\x1b[32m  1 test passed\x1b[39m\n'), { passed: 1, failed: 0, found: true });
});

test('ci summary: no ava output (tsc failed first) is "not found"', (t) => {
  t.deepEqual(summarize('core/x.ts(1,1): error TS2304: Cannot find name\n'), { passed: 0, failed: 0, found: false });
});
