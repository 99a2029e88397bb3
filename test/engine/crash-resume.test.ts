/**
 * kill -9 in the middle of a download, then restart: the download completes, the data is
 * byte-exact, and no piece that was verified before the crash is fetched again (issue #3,
 * faults; the fsync/resume policy is in host/storage/README.md).
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '../../core/client/client.js';
import type { StorageProvider } from '../../core/seam/storage.js';
import { buildMetainfo } from '../../core/metainfo/index.js';
import { createNodeHost, type NodeHost } from '../../host/node-host.js';
import { rarestFirstPicker } from '../../plugins/pickers/rarest-first.js';
import { referenceChoker } from '../../plugins/chokers/reference.js';
import { bytesEqual } from '../../core/util/bytes.js';
import { makeFixtureTorrent } from '../support/fixture-torrent.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

/** Slow reads so that the download lasts long enough to be killed in the middle. */
function slow(inner: StorageProvider, ms: number): StorageProvider {
  return {
    open(info, done) {
      inner.open(info, (err, o) => {
        if (err || !o) return done(err);
        const s = o.store;
        done(null, { have: o.have, store: { ...s, write: s.write.bind(s), verify: s.verify.bind(s), close: s.close.bind(s), read: (i, b, l, cb) => setTimeout(() => s.read(i, b, l, cb), ms) } });
      });
    },
  };
}

interface Line { event: string; [k: string]: unknown }

function runCli(args: string[], onLine: (l: Line, kill: () => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: Line[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Line[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    createInterface({ input: child.stdout }).on('line', (s) => {
      try { const l = JSON.parse(s) as Line; lines.push(l); onLine(l, () => child.kill('SIGKILL')); } catch { /* not JSON */ }
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code, signal) => { clearTimeout(guard); if (code) process.stderr.write(stderr); resolve({ code, signal, lines }); });
  });
}

test.serial('engine: kill -9 mid-download, restart → completes byte-exact without refetching verified pieces', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'btlab-crash-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const files = [{ path: ['one.bin'], length: 9_000_000 }, { path: ['two.bin'], length: 7_777_777 }];
  const pieceLength = 262144;
  const { info, contents } = makeFixtureTorrent(join(root, 'seed'), 'crashy', files, pieceLength, 7);
  const torrentPath = join(root, 'crashy.torrent');
  writeFileSync(torrentPath, buildMetainfo({ rawInfo: info.rawInfo, creationDate: 0 }));

  const host: NodeHost = createNodeHost({ dir: join(root, 'seed'), hashWorkers: 1 });
  host.storage = slow(host.storage, 25) as NodeHost['storage'];
  const seeder = new Client(host);
  const port = await new Promise<number>((res, rej) => seeder.listen(0, (e, p) => (e ? rej(e) : res(p!))));
  seeder.add({ info, picker: rarestFirstPicker(), choker: referenceChoker() }).start();
  t.teardown(() => new Promise<void>((r) => seeder.close(() => r())).then(() => host.destroy()));

  const args = ['download', torrentPath, '-o', join(root, 'leech'), '--peer', `127.0.0.1:${port}`, '--port', '0', '--json'];
  let killedAt = 0;
  const first = await runCli(args, (l, kill) => {
    if (l.event === 'progress' && (l.progress as number) > 0.2 && !killedAt) { killedAt = l.progress as number; kill(); }
  });
  t.is(first.signal, 'SIGKILL', 'the first run was killed mid-download');
  t.true(killedAt > 0.2 && killedAt < 1);

  const second = await runCli(args, () => {});
  t.is(second.code, 0);
  const checked = second.lines.find((l) => l.event === 'checked')!;
  const complete = second.lines.find((l) => l.event === 'complete')!;
  t.truthy(checked);
  t.truthy(complete);
  const had = checked.have as number;
  t.true(had > 0, `pieces verified before the crash survived it (${had})`);
  // Only the missing pieces were fetched: downloaded ≤ the bytes of the pieces not had at restart.
  const total = files.reduce((a, f) => a + f.length, 0);
  const missingBytes = total - (checked.haveBytes as number);
  t.true((complete.downloaded as number) <= missingBytes, `downloaded ${complete.downloaded} ≤ ${missingBytes}`);
  files.forEach((f, i) => t.true(bytesEqual(readFileSync(join(root, 'leech', 'crashy', ...f.path)), contents[i]), f.path[0]));
});
