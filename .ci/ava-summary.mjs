#!/usr/bin/env node
/**
 * Turns ava 7's default-reporter output into one line, "N passed, N failed".
 * usage: node .ci/ava-summary.mjs LOGFILE   (exit 0 = counts found and N passed > 0)
 *
 * Why not just read ava's summary: when anything fails, ava prints "2 tests failed" but no
 * passed count at all. So passed = the "N tests passed" summary when present, else the ✔ lines
 * (one per passing test; "✔ [expected fail]" is a known failure, not a pass). failed = failed
 * tests + failed hooks + known failures + uncaught exceptions + unhandled rejections + tests left
 * pending by a timeout + tests left unrun by a crashed worker: anything that is not a clean pass.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function summarize(raw) {
  // eslint-disable-next-line no-control-regex
  const text = raw.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '');
  const lines = text.split('\n');
  const sum = (re) => lines.reduce((n, l) => {
    const m = re.exec(l);
    return m ? n + Number(m[1]) : n;
  }, 0);
  const summaryPassed = lines.some((l) => /^\s*\d+ tests? passed\s*$/.test(l));
  const ticks = lines.filter((l) => /^\s*✔ /.test(l) && !/^\s*✔ \[expected fail\]/.test(l)).length;
  const passed = summaryPassed ? sum(/^\s*(\d+) tests? passed\s*$/) : ticks;
  const failed =
    sum(/^\s*(\d+) tests? failed\s*$/) +
    sum(/^\s*(\d+) hooks? failed\s*$/) +
    sum(/^\s*(\d+) known failures?\s*$/) +
    sum(/^\s*(\d+) uncaught exceptions?\s*$/) +
    sum(/^\s*(\d+) unhandled rejections?\s*$/) +
    sum(/^\s*(\d+) tests? remained pending after a timeout\s*$/) +
    sum(/^\s*✘ (\d+) tests? remaining in /);
  // ava ran if it printed any result line or a summary line
  const found = summaryPassed || ticks > 0 || failed > 0 || lines.some((l) => /^\s*✘ /.test(l));
  return { passed, failed, found };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`ava-summary: cannot read ${file}: ${e.message}`);
  }
  const s = summarize(text);
  console.log(`${s.passed} passed, ${s.failed} failed`);
  process.exit(s.found && s.passed > 0 ? 0 : 1);
}
