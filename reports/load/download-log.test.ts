import test from 'ava';
import fc from 'fast-check';
import { BtLabError } from '../../core/util/errors.js';
import { parseDownloadLog } from './download-log.js';

const progress = (p: number, extra: object = {}) => JSON.stringify({ event: 'progress', status: 'downloading', progress: p, pieces: 0, of: 4, downloaded: p * 1000, uploaded: 10, downRate: 500, upRate: 5, peers: 2, seeds: 1, banned: 0, hashFailures: 0, eta: 3, ...extra });

test('reads the JSON lines of bt-lab download --json; time = ordinal second of the progress line', (t) => {
  const text = [
    JSON.stringify({ event: 'listening', port: 6881 }),
    JSON.stringify({ event: 'metadata', name: 'ubuntu.iso', pieces: 4, bytes: 1000 }),
    progress(0.1), progress(0.5),
    'some stderr noise',
    JSON.stringify({ event: 'banned', peer: '127.0.0.1:7000', reason: 'hash' }),
    progress(0.9, { hashFailures: 2 }),
    JSON.stringify({ event: 'complete', progress: 1, downloaded: 1000, uploaded: 10, downRate: 0, upRate: 0, peers: 2, seeds: 1 }),
  ].join('\n');
  const log = parseDownloadLog(text);
  t.deepEqual(log.points.map((p) => [p.t, p.progress]), [[0, 0.1], [1, 0.5], [2, 0.9], [3, 1]]);
  t.is(log.completeAt, 3);
  t.is(log.name, 'ubuntu.iso');
  t.is(log.totalBytes, 1000);
  t.deepEqual(log.banned, ['127.0.0.1:7000']);
  t.is(log.hashFailures, 2);
  t.is(log.skippedLines, 1);
});

test('an explicit numeric t (seconds) wins over the line ordinal', (t) => {
  const log = parseDownloadLog([progress(0.2, { t: 10 }), progress(0.4, { t: 12.5 })].join('\n'));
  t.deepEqual(log.points.map((p) => p.t), [10, 12.5]);
});

test('a log without progress lines is a typed EREPORT error', (t) => {
  const e = t.throws(() => parseDownloadLog('{"event":"listening","port":1}\nhello'), { instanceOf: BtLabError });
  t.is(e?.code, 'EREPORT');
});

test('fuzz: arbitrary text (and JSON-ish lines) either parses into sane points or throws EREPORT only', (t) => {
  const jsonLine = fc.record({ event: fc.constantFrom('progress', 'complete', 'metadata', 'banned', 'x'), progress: fc.oneof(fc.double(), fc.string(), fc.constant(null)), t: fc.oneof(fc.double(), fc.constant(undefined)), name: fc.anything() }, { requiredKeys: ['event'] }).map((o) => JSON.stringify(o));
  const line = fc.oneof(fc.string(), jsonLine, fc.json());
  fc.assert(fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
    try {
      const log = parseDownloadLog(lines.join('\n'));
      return log.points.length > 0 && log.points.every((p) => p.progress >= 0 && p.progress <= 1 && Number.isFinite(p.downRate));
    } catch (e) {
      return e instanceof BtLabError && e.code === 'EREPORT';
    }
  }), { numRuns: 1500 });
  t.pass();
});
