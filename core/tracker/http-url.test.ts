import test from 'ava';
import { fromHex, utf8 } from '../util/bytes.js';
import { appendQuery, buildAnnounceUrl, buildScrapeUrl, percentEncodeBytes, scrapeUrlFor } from './http-url.js';
import { parseQuery } from './server/query.js';
import type { AnnounceRequest } from './types.js';

const req = (over: Partial<AnnounceRequest> = {}): AnnounceRequest => ({
  infoHash: fromHex('0123456789abcdef0123456789abcdef01234567'),
  peerId: utf8('-BL0100-abcdefghijkl'),
  port: 6881, uploaded: 0, downloaded: 100, left: 0, event: 'started', key: 0xdeadbeef, numwant: 50,
  ...over,
});

test('BEP3-TRK-1: info_hash is the 20 raw bytes percent-escaped, unreserved bytes left as is', (t) => {
  const url = buildAnnounceUrl('http://t.example/announce', req());
  t.true(url.startsWith('http://t.example/announce?info_hash=%01%23Eg%89%AB%CD%EF%01%23Eg%89%AB%CD%EF%01%23Eg&peer_id=-BL0100-abcdefghijkl&'));
  t.is(percentEncodeBytes(new Uint8Array([0x20, 0x2b, 0x7e, 0x2e, 0x00, 0xff])), '%20%2B~.%00%FF');
});

test('BEP3-TRK-1: the escaped info_hash decodes back to the same 20 bytes (client URL → server parser)', (t) => {
  const all = new Uint8Array(20).map((_, i) => (i * 13 + 200) & 255);
  const url = buildAnnounceUrl('http://t/announce', req({ infoHash: all }));
  const q = parseQuery(url.slice(url.indexOf('?') + 1));
  t.deepEqual(q.get('info_hash')?.[0], all);
  t.is(new TextDecoder().decode(q.get('compact')![0]), '1');
  t.is(new TextDecoder().decode(q.get('key')![0]), 'deadbeef');
  t.is(new TextDecoder().decode(q.get('numwant')![0]), '50');
  t.is(new TextDecoder().decode(q.get('downloaded')![0]), '100');
});

test('BEP3-TRK-3: event is sent for started/completed/stopped and omitted for periodic announces', (t) => {
  t.regex(buildAnnounceUrl('http://t/a', req({ event: 'started' })), /&event=started(&|$)/);
  t.regex(buildAnnounceUrl('http://t/a', req({ event: 'completed' })), /&event=completed(&|$)/);
  t.regex(buildAnnounceUrl('http://t/a', req({ event: 'stopped' })), /&event=stopped(&|$)/);
  t.notRegex(buildAnnounceUrl('http://t/a', req({ event: 'none' })), /event=/);
});

test('trackerid is echoed only when the tracker gave one; numwant omitted when undefined', (t) => {
  t.notRegex(buildAnnounceUrl('http://t/a', req()), /trackerid=/);
  t.regex(buildAnnounceUrl('http://t/a', req({ trackerId: utf8('ab c') })), /&trackerid=ab%20c/);
  t.notRegex(buildAnnounceUrl('http://t/a', req({ numwant: undefined })), /numwant=/);
});

test('base URLs that already have a query (passkeys) get & not a second ?', (t) => {
  t.is(appendQuery('http://t/announce?passkey=abc', 'x=1'), 'http://t/announce?passkey=abc&x=1');
  t.is(appendQuery('http://t/announce?', 'x=1'), 'http://t/announce?x=1');
  t.is(appendQuery('http://t/announce#frag', 'x=1'), 'http://t/announce?x=1');
  t.regex(buildAnnounceUrl('http://t/announce.php?pk=1', req()), /^http:\/\/t\/announce\.php\?pk=1&info_hash=/);
});

test('scrape URL: replace the last segment `announce` with `scrape`, otherwise not scrapeable', (t) => {
  t.is(scrapeUrlFor('http://example.com/announce'), 'http://example.com/scrape');
  t.is(scrapeUrlFor('http://example.com/x/announce'), 'http://example.com/x/scrape');
  t.is(scrapeUrlFor('http://example.com/announce.php'), 'http://example.com/scrape.php');
  t.is(scrapeUrlFor('http://example.com/announce?x2%0644'), 'http://example.com/scrape?x2%0644');
  t.is(scrapeUrlFor('http://example.com/x%064announce'), null);
  t.is(scrapeUrlFor('http://example.com/a'), null);
  t.is(scrapeUrlFor('http://example.com/announce?x=2/4'), null);
  t.is(scrapeUrlFor('http://example.com/announce.php?passkey=abc'), 'http://example.com/scrape.php?passkey=abc');
  t.is(scrapeUrlFor('http://example.com/x/a/announce/b'), null);
  const s = buildScrapeUrl('http://t/scrape', [new Uint8Array(20).fill(0xaa), new Uint8Array(20).fill(0x61)]);
  t.is(s, `http://t/scrape?info_hash=${'%AA'.repeat(20)}&info_hash=${'a'.repeat(20)}`);
});

test('BEP 23 request vector parses on the server side', (t) => {
  const q = parseQuery('peer_id=aaaaaaaaaaaaaaaaaaaa&info_hash=aaaaaaaaaaaaaaaaaaaa&port=6881&left=0&downloaded=100&uploaded=0&compact=1');
  t.deepEqual(q.get('info_hash')![0], new Uint8Array(20).fill(0x61));
  t.deepEqual(q.get('peer_id')![0], new Uint8Array(20).fill(0x61));
  t.is(q.get('port')!.length, 1);
});
