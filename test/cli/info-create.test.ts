import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetainfo } from '../../core/metainfo/parse.js';
import { pieceHashes } from '../../core/metainfo/build.js';
import { concatBytes } from '../../core/util/bytes.js';
import { encode } from '../../core/bencode/encode.js';
import { seededRandom } from '../../core/util/prng.js';

const MAIN = join(process.cwd(), 'dist', 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 60_000 });

function tmp(t: import('ava').ExecutionContext): string {
  const d = mkdtempSync(join(tmpdir(), 'btlab-cli-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('bt-lab create → bt-lab info --json round trip (multi-file, trackers, private, comment)', (t) => {
  const dir = tmp(t);
  const rnd = seededRandom('cli-create');
  const a = rnd.bytes(50_000), b = rnd.bytes(1), c = rnd.bytes(20_001);
  mkdirSync(join(dir, 'data', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'data', 'a.bin'), a);
  writeFileSync(join(dir, 'data', 'b.txt'), b);
  writeFileSync(join(dir, 'data', 'sub', 'c.bin'), c);
  const out = join(dir, 'x.torrent');
  const cr = run('create', join(dir, 'data'), '--tracker', 'http://127.0.0.1:6969/announce', '--tracker', 'udp://127.0.0.1:1,udp://127.0.0.1:2',
    '--piece-length', '32K', '--private', '--comment', 'round trip ✓', '-o', out);
  t.is(cr.status, 0, cr.stderr);
  t.regex(cr.stdout, /^wrote .*x\.torrent: data, 3 files/);

  const info = run('info', out, '--json');
  t.is(info.status, 0, info.stderr);
  const j = JSON.parse(info.stdout);
  t.is(info.stdout.trim().split('\n').length, 1, 'one JSON object');
  t.is(j.kind, 'torrent');
  t.is(j.name, 'data');
  t.is(j.infoHash, parseMetainfo(readFileSync(out)).info.infoHashHex);
  t.regex(cr.stdout, new RegExp(`info hash ${j.infoHash}`));
  t.is(j.totalLength, 70_002);
  t.is(j.pieceLength, 32768);
  t.is(j.pieceCount, 3);
  t.true(j.private);
  t.is(j.comment, 'round trip ✓');
  t.is(j.createdBy, 'bt-lab/0.1.0');
  t.is(typeof j.creationDate, 'number');
  t.deepEqual(j.announceList, [['http://127.0.0.1:6969/announce'], ['udp://127.0.0.1:1', 'udp://127.0.0.1:2']]);
  t.deepEqual(j.files.map((f: { path: string[]; length: number }) => [f.path.join('/'), f.length]), [['a.bin', 50_000], ['b.txt', 1], ['sub/c.bin', 20_001]]);
  // The pieces really are the hashes of the data (BEP3-META-9).
  t.deepEqual(parseMetainfo(readFileSync(out)).info.pieces, pieceHashes(concatBytes([a, b, c]), 32768));

  const human = run('info', out);
  t.is(human.status, 0);
  t.regex(human.stdout, new RegExp(`info hash:\\s+${j.infoHash}`));
  t.regex(human.stdout, /total size:\s+68\.4 KiB \(70002 bytes\)/);
  t.regex(human.stdout, /tier 2: udp:\/\/127\.0\.0\.1:1  udp:\/\/127\.0\.0\.1:2/);
  t.regex(human.stdout, /data\/sub\/c\.bin/);

  const mag = run('info', j.magnet, '--json');
  t.is(mag.status, 0, mag.stderr);
  t.like(JSON.parse(mag.stdout), { kind: 'magnet', infoHash: j.infoHash, name: 'data' });
});

test('bad input: exit ≠ 0 and one line on stderr, no stack trace', (t) => {
  const dir = tmp(t);
  const good = join(dir, 'g.torrent');
  writeFileSync(join(dir, 'f'), 'hello');
  t.is(run('create', join(dir, 'f'), '-o', good, '--no-date').status, 0);
  const bytes = readFileSync(good);
  const cases: Array<[string, string[], RegExp]> = [];
  writeFileSync(join(dir, 'trunc.torrent'), bytes.subarray(0, bytes.length - 5));
  cases.push(['truncated', ['info', join(dir, 'trunc.torrent')], /trunc\.torrent: bencode: string length runs past the end of input at byte \d+/]);
  writeFileSync(join(dir, 'junk.torrent'), 'this is not bencode');
  cases.push(['junk', ['info', join(dir, 'junk.torrent')], /bencode: unexpected byte 0x74 at byte 0/]);
  writeFileSync(join(dir, 'evil.torrent'), encode({ info: { files: [{ length: 1, path: ['..', 'passwd'] }], name: 'x', 'piece length': 16384, pieces: new Uint8Array(20) } }));
  cases.push(['traversal', ['info', join(dir, 'evil.torrent')], /metainfo: info\.files\[0\]\.path "\.\.\/passwd" is unsafe/]);
  cases.push(['missing', ['info', join(dir, 'nope.torrent')], /cannot read .*nope\.torrent: ENOENT/]);
  cases.push(['magnet', ['info', 'magnet:?dn=x'], /magnet: no xt=urn:btih/]);
  cases.push(['create missing', ['create', join(dir, 'missing'), '-o', join(dir, 'o.torrent')], /does not exist/]);
  cases.push(['create exists', ['create', join(dir, 'f'), '-o', good], /exists \(use --force/]);
  cases.push(['piece length', ['create', join(dir, 'f'), '-o', join(dir, 'p.torrent'), '--piece-length', 'huge'], /--piece-length "huge"/]);
  for (const [what, args, re] of cases) {
    const r = run(...args);
    t.not(r.status, 0, what);
    const lines = r.stderr.trim().split('\n');
    t.is(lines.length, 1, `${what}: one line, got ${JSON.stringify(r.stderr)}`);
    t.regex(lines[0], /^bt-lab: /, what);
    t.regex(lines[0], re, what);
    t.notRegex(r.stderr, /\n\s+at /, `${what}: no stack trace`);
  }
});
