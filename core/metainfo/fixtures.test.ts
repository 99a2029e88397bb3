import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMetainfo } from './parse.js';

// Real torrents made by mktorrent and libtorrent (test/fixtures/torrents/README.md); the
// expected values are what those tools report, recorded by make_fixtures.py.
const dir = join(process.cwd(), 'test', 'fixtures', 'torrents');
interface Expected {
  file: string; madeBy: string; infoHash: string; transmissionShowHash: string | null; name: string;
  pieceLength: number; pieceCount: number; totalLength: number; private: boolean;
  files: Array<{ path: string; length: number; pad: boolean }>;
}
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { tracker: string; torrents: Expected[] };

for (const e of expected.torrents) {
  test(`BEP3-META-11: ${e.file} (${e.madeBy}) parses to the info hash the tool reports`, (t) => {
    const m = parseMetainfo(readFileSync(join(dir, e.file)));
    t.is(m.info.infoHashHex, e.infoHash);
    if (e.transmissionShowHash) t.is(m.info.infoHashHex, e.transmissionShowHash);
    t.is(m.info.name, e.name);
    t.is(m.info.pieceLength, e.pieceLength);
    t.is(m.info.pieceCount, e.pieceCount);
    t.is(m.info.totalLength, e.totalLength);
    t.is(m.info.private, e.private);
    // libtorrent reports paths with the torrent name in front for multi-file torrents.
    t.deepEqual(
      m.info.files.map((f) => ({ path: (m.info.multiFile ? [m.info.name, ...f.path] : f.path).join('/'), length: f.length, pad: f.attr.includes('p') })),
      e.files,
    );
    t.is(m.announce, expected.tracker);
  });
}

test('multi.mk.torrent: mktorrent extras (comment, url-list, announce-list of two tiers)', (t) => {
  const m = parseMetainfo(readFileSync(join(dir, 'multi.mk.torrent')));
  t.is(m.comment, 'fixture comment ✓');
  t.deepEqual(m.urlList, ['http://127.0.0.1:8080/']);
  t.deepEqual(m.announceList, [['http://127.0.0.1:6969/announce'], ['udp://127.0.0.1:6969/announce']]);
  t.regex(m.createdBy ?? '', /mktorrent/);
  t.is(m.creationDate, undefined, 'made with -d');
  const u = parseMetainfo(readFileSync(join(dir, 'unicode.mk.torrent')));
  t.is(typeof u.creationDate, 'number');
});
