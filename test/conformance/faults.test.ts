/**
 * Issue #8 item 5: the harness must catch faults. Each fake target breaks one rule on purpose
 * and must be reported `failed` under the clause that rule belongs to — while bt-lab's own
 * (correct) server, run through the same cases, passes them (the control).
 */
import test from 'ava';
import { runSuite } from '../../conformance/runner.js';
import { selectCases } from '../../conformance/registry.js';
import { btlabHttpTracker, btlabUdpTracker } from '../../conformance/targets/btlab-inprocess.js';
import type { RunReport } from '../../conformance/types.js';
import { eightBytes, faultyUdpTracker, ragged, startFakePeer, unsortedHttpTracker, wrongAction, wrongTxid } from './fakes.js';

const outcome = (r: RunReport, id: string) => r.results.find((x) => x.id === id)?.outcome;
const failedClauses = (r: RunReport) => [...new Set(r.results.filter((x) => x.outcome === 'failed').map((x) => x.clause))].sort();
const quick = { replyTimeoutMs: 200 };

test('BEP15-CONN-2: a UDP tracker echoing the wrong transaction id in connect replies fails BEP15-CONN-2', async (t) => {
  const r = await runSuite('tracker-udp', 'fake', selectCases('tracker-udp', 'BEP15-CONN-2'), faultyUdpTracker(0, wrongTxid), quick);
  t.is(outcome(r, 'BEP15-CONN-2:layout'), 'failed');
  t.is(outcome(r, 'BEP15-CONN-2:txid-echo'), 'failed');
  const prop = r.results.find((x) => x.id === 'BEP15-CONN-2:txid-echo')!;
  t.truthy(prop.counterexample, 'the property reports its shrunk counter-example');
  t.deepEqual(failedClauses(r), ['BEP15-CONN-2']);
});

test('BEP15-CONN-2: a UDP tracker answering connect with the wrong action fails BEP15-CONN-2', async (t) => {
  const r = await runSuite('tracker-udp', 'fake', selectCases('tracker-udp', 'BEP15-CONN-2:layout'), faultyUdpTracker(0, wrongAction(1)), quick);
  t.is(outcome(r, 'BEP15-CONN-2:layout'), 'failed');
  t.regex(r.results[0].evidence.join('\n'), /action 1, not 0/);
});

test('BEP15-ANN-3: announce replies with the wrong action, the wrong transaction id, or a ragged peer list fail BEP15-ANN-3', async (t) => {
  for (const [name, fault] of [['wrong action', wrongAction(2)], ['wrong txid', wrongTxid], ['ragged peers', ragged]] as const) {
    const r = await runSuite('tracker-udp', 'fake', selectCases('tracker-udp', 'BEP15-ANN-3:layout,BEP15-ANN-3:unlisted-hash'), faultyUdpTracker(1, fault), quick);
    t.deepEqual(failedClauses(r), ['BEP15-ANN-3'], name);
    t.is(outcome(r, 'BEP15-ANN-3:layout'), 'failed', name);
  }
});

test('BEP15-ANN-3: the 8-byte action-1 reply (opentracker, unlisted hash) is flagged', async (t) => {
  const r = await runSuite('tracker-udp', 'fake', selectCases('tracker-udp', 'BEP15-ANN-3:unlisted-hash'), faultyUdpTracker(1, eightBytes), quick);
  t.is(outcome(r, 'BEP15-ANN-3:unlisted-hash'), 'failed');
  t.regex(r.results[0].evidence.join('\n'), /8 bytes/);
});

test('control: bt-lab\'s own UDP and HTTP tracker pass the same cases', async (t) => {
  const u = await runSuite('tracker-udp', 'bt-lab', selectCases('tracker-udp'), btlabUdpTracker(), quick);
  t.is(u.totals.failed, 0, JSON.stringify(u.results.filter((x) => x.outcome === 'failed')));
  const h = await runSuite('tracker-http', 'bt-lab', selectCases('tracker-http'), btlabHttpTracker(), quick);
  t.is(h.totals.failed, 0, JSON.stringify(h.results.filter((x) => x.outcome === 'failed')));
});

test('BEP3-BENC-7: an HTTP tracker writing unsorted dict keys fails BEP3-BENC-7 and nothing else', async (t) => {
  const r = await runSuite('tracker-http', 'fake', selectCases('tracker-http'), unsortedHttpTracker(), quick);
  t.is(outcome(r, 'BEP3-BENC-7:sorted-reply'), 'failed');
  t.deepEqual(failedClauses(r), ['BEP3-BENC-7']);
});

test.serial('BEP3-MSG-7: a peer sending a bitfield with spare bits set fails BEP3-MSG-7', async (t) => {
  const fake = await startFakePeer({ spareBits: true });
  t.teardown(() => fake.close());
  const r = await runSuite('peer', 'fake', selectCases('peer', 'BEP3-MSG-7,BEP3-HS-1,BEP3-MSG-6'), fake.target, quick);
  t.is(outcome(r, 'BEP3-MSG-7:bitfield-layout'), 'failed');
  t.regex(r.results.find((x) => x.id === 'BEP3-MSG-7:bitfield-layout')!.evidence.join('\n'), /spare bits/);
  t.is(outcome(r, 'BEP3-HS-1:reply'), 'passed');
  t.deepEqual(failedClauses(r), ['BEP3-MSG-7']);
});

test.serial('BEP9-META-1: a peer serving metadata that fails its hash fails BEP9-META-1', async (t) => {
  const fake = await startFakePeer({ badMetadata: true });
  t.teardown(() => fake.close());
  const r = await runSuite('peer', 'fake', selectCases('peer', 'BEP9-*'), fake.target, quick);
  t.is(outcome(r, 'BEP9-META-1:hash'), 'failed');
  t.regex(r.results.find((x) => x.id === 'BEP9-META-1:hash')!.evidence.join('\n'), /not the info hash/);
  t.deepEqual(failedClauses(r), ['BEP9-META-1']);
});

test.serial('control: the same fake peer without faults passes those cases', async (t) => {
  const fake = await startFakePeer({});
  t.teardown(() => fake.close());
  const r = await runSuite('peer', 'fake', selectCases('peer', 'BEP9-*,BEP3-MSG-7,BEP3-HS-1,BEP3-MSG-6'), fake.target, quick);
  t.is(r.totals.failed, 0, JSON.stringify(r.results.filter((x) => x.outcome === 'failed')));
  t.is(outcome(r, 'BEP9-META-1:hash'), 'passed');
  t.is(outcome(r, 'BEP3-MSG-7:bitfield-layout'), 'passed');
});
