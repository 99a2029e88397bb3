import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTorrentFromPath } from './create-torrent.js';
import { writeFixtureData } from './fixture-data.js';
import { parseMetainfo } from '../../core/metainfo/parse.js';

// Live interop with the real tools (mktorrent 1.1, python3-libtorrent 2.0.8). Without a tool
// the test fails: a machine that lost its tools must not turn this into a silent no-op.
const PY = '/usr/bin/python3';

function haveTool(t: import('ava').ExecutionContext, what: string, check: () => boolean): boolean {
  if (check()) return true;
  // Never a silent skip: the tools are installed by .ci/setup, so a missing one is a failure.
  t.fail(`${what} is not installed (run .ci/setup)`);
  return false;
}
const hasMktorrent = () => spawnSync('sh', ['-c', 'command -v mktorrent'], { stdio: 'ignore' }).status === 0;
const hasLibtorrent = () => spawnSync(PY, ['-c', 'import libtorrent'], { stdio: 'ignore' }).status === 0;

// Odd sizes (not multiples of the piece length, 0 and 1 byte), nesting, unicode names. No
// name is a prefix of a sibling's name followed by a byte below '/', so mktorrent's full-path
// strcmp order equals our per-component order and the info hashes must match exactly.
const DATA = [
  { path: 'set/α-first.bin', size: 65537, seed: 11 },
  { path: 'set/b/0.bin', size: 0, seed: 0 },
  { path: 'set/b/1.bin', size: 1, seed: 12 },
  { path: 'set/b/c/deep 日本.bin', size: 99999, seed: 13 },
  { path: 'set/zz.txt', size: 32767, seed: 14 },
  { path: 'lone file ✓.bin', size: 50001, seed: 15 },
];

function setup(t: import('ava').ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'btlab-interop-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFixtureData(dir, DATA);
  return dir;
}

test('interop: mktorrent and bt-lab create give the same info hash; bt-lab parses mktorrent output', async (t) => {
  if (!haveTool(t, 'mktorrent', hasMktorrent)) return;
  const dir = setup(t);
  for (const target of ['set', 'lone file ✓.bin']) {
    const out = join(dir, `${target}.mk.torrent`);
    execFileSync('mktorrent', ['-d', '-p', '-l', '15', '-a', 'http://127.0.0.1:6969/announce', '-o', out, join(dir, target)], { stdio: 'ignore' });
    const mk = parseMetainfo(readFileSync(out));
    const ours = await createTorrentFromPath(join(dir, target), { pieceLength: 32768, private: true, creationDate: null });
    t.is(ours.infoHashHex, mk.info.infoHashHex, target);
    t.deepEqual(parseMetainfo(ours.torrent).info.pieces, mk.info.pieces);
  }
});

test('interop: libtorrent accepts bt-lab torrents with the same info hash and verifies the data as complete', async (t) => {
  if (!haveTool(t, 'python3-libtorrent', hasLibtorrent)) return;
  const dir = setup(t);
  const script = `
import sys, time, libtorrent as lt
path, save = sys.argv[1], sys.argv[2]
ti = lt.torrent_info(path)
s = lt.session({'listen_interfaces': '127.0.0.1:0', 'enable_dht': False, 'enable_lsd': False,
                'enable_upnp': False, 'enable_natpmp': False, 'alert_mask': 0})
h = s.add_torrent({'ti': ti, 'save_path': save})
deadline = time.time() + 20
while time.time() < deadline:
    st = h.status()
    if st.state in (lt.torrent_status.seeding, lt.torrent_status.finished) and st.progress == 1.0:
        break
    time.sleep(0.05)
st = h.status()
print(str(ti.info_hashes().v1), ti.num_pieces(), ti.num_files(), st.num_pieces, str(st.state))
`;
  for (const [target, pieceLength] of [['set', 16384], ['lone file ✓.bin', 'auto'], ['set', 40000]] as const) {
    const c = await createTorrentFromPath(join(dir, target), { pieceLength, trackers: ['http://127.0.0.1:6969/announce'], comment: 'interop' });
    const file = join(dir, 'ours.torrent');
    writeFileSync(file, c.torrent);
    const out = execFileSync(PY, ['-c', script, file, dir], { encoding: 'utf8', timeout: 30_000 }).trim().split(' ');
    t.is(out[0], c.infoHashHex, `${target} @ ${pieceLength}: same info hash`);
    t.is(Number(out[1]), c.pieceCount);
    t.is(Number(out[2]), c.files.length);
    t.is(Number(out[3]), c.pieceCount, `${target} @ ${pieceLength}: libtorrent found every piece valid on disk`);
  }
});

test('interop: bt-lab parses torrents libtorrent makes (v1-only and hybrid) to libtorrent\'s info hash', (t) => {
  if (!haveTool(t, 'python3-libtorrent', hasLibtorrent)) return;
  const dir = setup(t);
  const script = `
import sys, os, libtorrent as lt
target, out, flags = sys.argv[1], sys.argv[2], int(sys.argv[3])
fs = lt.file_storage(); lt.add_files(fs, target)
ct = lt.create_torrent(fs, 16384, flags=flags)
ct.add_tracker('http://127.0.0.1:6969/announce')
lt.set_piece_hashes(ct, os.path.dirname(target))
open(out, 'wb').write(lt.bencode(ct.generate()))
print(str(lt.torrent_info(out).info_hashes().v1))
`;
  const v1only = Number(execFileSync(PY, ['-c', 'import libtorrent as lt; print(int(lt.create_torrent.v1_only))'], { encoding: 'utf8' }).trim());
  for (const target of ['set', 'lone file ✓.bin']) {
    for (const flags of [v1only, 0]) {
      const out = join(dir, 'lt.torrent');
      const hash = execFileSync(PY, ['-c', script, join(dir, target), out, String(flags)], { encoding: 'utf8', timeout: 30_000 }).trim();
      t.is(parseMetainfo(readFileSync(out)).info.infoHashHex, hash, `${target} flags=${flags}`);
    }
  }
});
