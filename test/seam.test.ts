import test from 'ava';
import { join } from 'node:path';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { findSeamViolations } from './seam-rules.js';

const root = process.cwd();

test('seam: no pure-core file touches sockets, files, the wall clock, timers or Math.random', (t) => {
  const v = findSeamViolations(join(root, 'core'), root);
  t.deepEqual(v.map((x) => `${x.file}:${x.line} ${x.why}`), []);
});

test('seam: the scanner catches every banned form (so the check above is not vacuous)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'seam-'));
  mkdirSync(join(dir, 'core'));
  const bad = [
    "import { createServer } from 'node:net';",
    "import dgram from 'dgram';",
    "import { readFileSync } from 'node:fs';",
    "import * as http from 'node:http';",
    'const t = Date.now();',
    'const r = Math.random();',
    'setTimeout(() => {}, 10);',
    'setInterval(f, 10);',
    'const p = performance.now();',
  ];
  writeFileSync(join(dir, 'core', 'bad.ts'), bad.join('\n') + '\nconst ok = 1; // Date.now() in a comment is fine\n');
  writeFileSync(join(dir, 'core', 'bad.test.ts'), 'Date.now();\n');
  const v = findSeamViolations(join(dir, 'core'), dir);
  t.is(v.length, bad.length);
  t.deepEqual(v.map((x) => x.line), bad.map((_, i) => i + 1));
});
