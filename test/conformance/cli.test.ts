/**
 * `bt-lab conformance` end to end through the CLI: selection, reports, exit codes (0 pass,
 * 1 failure, 3 nothing executed), and a real UDP tracker on 127.0.0.1 that breaks BEP15-ANN-3.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { btlabTrackerServer } from '../../conformance/targets/btlab-inprocess.js';
import { readU32 } from '../../core/util/bytes.js';

const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'conformance', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test('conformance inprocess --cases selects, passes (exit 0) and writes JSON, JUnit and HTML', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'btlab-conf-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const r = await cli(['inprocess', '--cases', 'BEP15-CONN-*,BEP5-Q-2', '--out', dir, '--reply-timeout', '300']);
  t.is(r.code, 0, r.stdout + r.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8'));
  const ids = json.reports.flatMap((x: { results: Array<{ id: string }> }) => x.results.map((c) => c.id));
  t.true(ids.length >= 4);
  t.true(ids.every((id: string) => id.startsWith('BEP15-CONN-') || id.startsWith('BEP5-Q-2')));
  t.true(existsSync(join(dir, 'junit.xml')) && existsSync(join(dir, 'conformance.html')));
});

test('a selection that matches nothing executes zero cases and exits 3', async (t) => {
  const r = await cli(['inprocess', '--cases', 'NO-SUCH-*']);
  t.is(r.code, 3);
  t.regex(r.stdout, /NO CASE WAS EXECUTED/);
});

test('--list shows cases without running them', async (t) => {
  const r = await cli(['dht', '--list', '--cases', 'BEP5-KRPC-8*']);
  t.is(r.code, 0);
  t.regex(r.stdout, /BEP5-KRPC-8:204-unknown-method/);
  t.regex(r.stdout, /3 case\(s\)/);
});

test.serial('conformance tracker udp://127.0.0.1:… flags a real UDP tracker that sends 8-byte announce replies (exit 1, BEP15-ANN-3)', async (t) => {
  const server = btlabTrackerServer(5);
  const sock = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    const reply = server.handleUdp(new Uint8Array(msg), { host: rinfo.address, port: rinfo.port });
    if (reply) sock.send(readU32(reply, 0) === 1 ? reply.subarray(0, 8) : reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  t.teardown(() => sock.close());
  const r = await cli(['tracker', `udp://127.0.0.1:${sock.address().port}`, '--cases', 'BEP15-ANN-3:*,BEP15-CONN-2:layout', '--reply-timeout', '500']);
  t.is(r.code, 1, r.stdout);
  t.regex(r.stdout, /failed clauses: BEP15-ANN-3/);
  t.regex(r.stdout, /PASSED\s+BEP15-CONN-2:layout/);
});
