import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastWins } from '../run-command.js';

const main = join(process.cwd(), 'dist/cli/main.js');

test('--out given twice: the last one wins (a script\'s `--out X "$@"` can be redirected by its caller)', (t) => {
  t.is(lastWins(['a', 'b']), 'b');
  t.is(lastWins('a'), 'a');
  const dir = mkdtempSync(join(tmpdir(), 'bt-lab-out-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync(process.execPath, [main, 'sim', '--peers', '4', '--file-mib', '1', '--quiet', '--no-trace', '--out', join(dir, 'first'), '--out', join(dir, 'second')], { stdio: 'pipe', timeout: 60_000 });
  t.true(existsSync(join(dir, 'second', 'result.json')));
  t.false(existsSync(join(dir, 'first')));
});
