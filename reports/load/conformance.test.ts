import test from 'ava';
import fc from 'fast-check';
import { BtLabError } from '../../core/util/errors.js';
import { looksLikeConformance, parseConformance, specOf } from './conformance.js';

test('accepts {cases:[{id,outcome}]}, {results:[{clause,status}]} and a bare array; outcomes upper-cased', (t) => {
  const a = parseConformance({ target: 'libtorrent', strict: true, cases: [{ id: 'BEP15-CONN-3', outcome: 'ok', title: 'connect id', message: '' }] });
  t.deepEqual(a, { target: 'libtorrent', strict: true, cases: [{ id: 'BEP15-CONN-3', clause: 'BEP15-CONN-3', outcome: 'OK', title: 'connect id', message: '' }] });
  const b = parseConformance({ results: [{ clause: 'BEP3-CHOKE-1', status: 'failed', detail: 'late' }] });
  t.deepEqual(b.cases, [{ id: 'BEP3-CHOKE-1', clause: 'BEP3-CHOKE-1', outcome: 'FAILED', title: '', message: 'late' }]);
  t.is(parseConformance([{ case: 'BEP5-X', result: 'INFORMATIONAL' }]).cases.length, 1);
  t.true(looksLikeConformance({ cases: [{ id: 'x' }] }));
  t.false(looksLikeConformance({ nodes: [], samples: [] }));
});

test('reads the harness conformance.json: reports[].results[] flattened, clause kept apart from the case id', (t) => {
  const run = parseConformance({ tool: 'bt-lab conformance', version: 1, strict: false, reports: [
    { target: 'udp://127.0.0.1:6969', results: [{ id: 'BEP15-CONN-3:reuse', clause: 'BEP15-CONN-3', title: 't', outcome: 'passed', evidence: [] }] },
    { target: 'bt-lab bencode (in-process)', results: [{ id: 'BEP3-BENC-1:x', clause: 'BEP3-BENC-1', title: 'u', outcome: 'failed', evidence: ['got 1', 'want 2'] }] },
  ] });
  t.is(run.target, 'udp://127.0.0.1:6969, bt-lab bencode (in-process)');
  t.false(run.strict);
  t.deepEqual(run.cases.map((c) => [c.id, c.clause, c.outcome, c.message]), [['BEP15-CONN-3:reuse', 'BEP15-CONN-3', 'PASSED', ''], ['BEP3-BENC-1:x', 'BEP3-BENC-1', 'FAILED', 'got 1; want 2']]);
  t.true(looksLikeConformance({ reports: [{ results: [{ id: 'a', outcome: 'passed' }] }] }));
});

test('zero cases is an error, not a pass (h2spec/Autobahn trap)', (t) => {
  t.throws(() => parseConformance({ cases: [] }), { instanceOf: BtLabError, message: /zero cases/ });
  t.throws(() => parseConformance({ cases: [{ id: 'A' }] }), { instanceOf: BtLabError, message: /no outcome/ });
});

test('specOf groups clause IDs by BEP', (t) => {
  t.is(specOf('BEP15-CONN-3'), 'BEP15');
  t.is(specOf('bep3-wire-1'), 'BEP3');
  t.is(specOf('--'), 'other');
});

test('fuzz: any JSON value either parses or throws EREPORT', (t) => {
  fc.assert(fc.property(fc.oneof(fc.json().map((s) => JSON.parse(s) as unknown), fc.record({ cases: fc.array(fc.dictionary(fc.constantFrom('id', 'clause', 'outcome', 'status', 'title'), fc.oneof(fc.string(), fc.integer()))) })), (v) => {
    try { return parseConformance(v).cases.length > 0; } catch (e) { return e instanceof BtLabError && e.code === 'EREPORT'; }
  }), { numRuns: 1500 });
  t.pass();
});
