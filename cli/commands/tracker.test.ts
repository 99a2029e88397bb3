import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAnnounceUrl } from '../../core/tracker/http-url.js';
import { parseAnnounceResponse } from '../../core/tracker/http-response.js';
import { toHex } from '../../core/util/bytes.js';

const main = join(process.cwd(), 'dist/cli/main.js');

test('bt-lab tracker: serves on 127.0.0.1, honours --allow, prints stats and stops cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-lab-trk-'));
  const ok = new Uint8Array(20).fill(7);
  writeFileSync(join(dir, 'allow.txt'), `# test\n${toHex(ok)}\n`);
  // Bounded by `timeout` in case the test dies before killing it.
  const child = spawn('timeout', ['--foreground', '30', process.execPath, main, 'tracker', '--http', '0', '--udp', '0', '--host', '127.0.0.1',
    '--allow', join(dir, 'allow.txt'), '--interval', '120', '--stats-every', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 10_000);
      child.stdout!.on('data', () => {
        const m = /http 127\.0\.0\.1:(\d+), udp 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      });
    });
    const announce = async (infoHash: Uint8Array) => {
      const url = buildAnnounceUrl(`http://127.0.0.1:${port}/announce`, {
        infoHash, peerId: new Uint8Array(20).fill(0x61), port: 6881, uploaded: 0, downloaded: 0, left: 0, event: 'started', key: 1,
      });
      return parseAnnounceResponse(new Uint8Array(await (await fetch(url)).arrayBuffer()));
    };
    t.like(await announce(ok), { interval: 120, complete: 1 });
    await t.throwsAsync(announce(new Uint8Array(20).fill(8)), { message: /not allowed/ });
    const exited = new Promise<number | string | null>((r) => child.once('exit', (code, sig) => r(code ?? sig)));
    // `timeout --foreground` passes it on to bt-lab exactly once. Without --foreground it also re-sends it
    // to its process group; when bt-lab has already shut down and is tearing down its signal handlers,
    // that duplicate lands on the default action and the exit status reads "killed by SIGTERM" (the CI
    // failure at the end of session 1, 1 run in 5 on a loaded machine).
    child.kill('SIGTERM');
    t.is(await exited, 0, out);
    t.regex(out, /announces=1 .* rejected=1 torrents=1 peers=1 seeders=1/);
    t.regex(out, /stopped \(SIGTERM\)/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
