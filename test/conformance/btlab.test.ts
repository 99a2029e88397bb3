/**
 * The default test suite runs the conformance suites against bt-lab's own code (issue #8):
 * the codecs and the pure servers in-process, the engine's peer over loopback. Every case
 * must pass or be informational/unimplemented — a `failed` or `non-strict` here is a bt-lab
 * bug (or a harness bug) to fix. Also: the npm `bencode` package as a reference that must fail.
 */
import test from 'ava';
import { runSuite } from '../../conformance/runner.js';
import { selectCases } from '../../conformance/registry.js';
import { btlabBencode, btlabDht, btlabHttpTracker, btlabMetainfo, btlabUdpTracker, npmBencode } from '../../conformance/targets/btlab-inprocess.js';
import { startSelfPeer } from '../../conformance/self/start.js';
import type { RunReport } from '../../conformance/types.js';

const bad = (r: RunReport) => r.results.filter((x) => x.outcome === 'failed' || x.outcome === 'non-strict').map((x) => `${x.id}: ${x.evidence.join(' / ')}`);
const strict = { strict: true, replyTimeoutMs: 300 };

test('conformance bencode: bt-lab core/bencode passes every BEP3-BENC case', async (t) => {
  const r = await runSuite('bencode', 'bt-lab', selectCases('bencode'), btlabBencode(), strict);
  t.deepEqual(bad(r), []);
  t.is(r.totals.passed, r.results.length);
});

test('conformance bencode: the lenient npm `bencode` package is caught (i-0e, i03e, unsorted keys, binary keys)', async (t) => {
  const r = await runSuite('bencode', 'npm', selectCases('bencode'), npmBencode(), strict);
  const failed = new Set(r.results.filter((x) => x.outcome === 'failed').map((x) => x.clause));
  for (const c of ['BEP3-BENC-3', 'BEP3-BENC-4', 'BEP3-BENC-7', 'BEP3-BENC-8']) t.true(failed.has(c), c);
});

test('conformance metainfo: bt-lab parseMetainfo passes every BEP3-META case', async (t) => {
  const r = await runSuite('metainfo', 'bt-lab', selectCases('metainfo'), btlabMetainfo(), strict);
  t.deepEqual(bad(r), []);
});

test('conformance tracker: bt-lab TrackerServer (UDP and HTTP, in-process) passes in strict mode', async (t) => {
  const u = await runSuite('tracker-udp', 'bt-lab', selectCases('tracker-udp'), btlabUdpTracker(), strict);
  t.deepEqual(bad(u), []);
  t.true(u.totals.passed >= 8);
  const h = await runSuite('tracker-http', 'bt-lab', selectCases('tracker-http'), btlabHttpTracker(), strict);
  t.deepEqual(bad(h), []);
  t.true(h.totals.passed >= 4);
});

test('conformance dht: bt-lab DhtNode (in-process, virtual clock) passes in strict mode', async (t) => {
  const r = await runSuite('dht', 'bt-lab', selectCases('dht'), btlabDht(3), strict);
  t.deepEqual(bad(r), []);
  t.is(r.totals.passed, r.results.length);
});

test.serial('conformance peer: the engine (a bt-lab Client seeding on 127.0.0.1) passes in strict mode', async (t) => {
  t.timeout(90_000);
  const peer = await startSelfPeer();
  t.teardown(() => peer.close());
  const r = await runSuite('peer', peer.target.label, selectCases('peer'), peer.target, { strict: true });
  t.deepEqual(bad(r), []);
  t.true(r.totals.passed >= 28, `${r.totals.passed} passed`);
  t.is(r.totals.unimplemented, 0);
});
