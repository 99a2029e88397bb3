import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceWriter, fileSink, formatNumber, formatTraceLine, memorySink } from './trace.js';

test('trace: lines are fixed-format JSON (3-decimal time, 6-decimal fractions, hex bytes)', (t) => {
  const line = formatTraceLine(12.5, 'n1', 'link.close', { reason: 'bye "now"', bytes: 16397, rate: 1 / 3, ok: true, none: undefined, id: Uint8Array.of(0, 255) });
  t.is(line, '{"t":12.500,"n":"n1","e":"link.close","reason":"bye \\"now\\"","bytes":16397,"rate":0.333333,"ok":true,"none":null,"id":"00ff"}');
  t.deepEqual(JSON.parse(line).bytes, 16397);
  t.is(formatTraceLine(0, null, 'x'), '{"t":0.000,"n":null,"e":"x"}');
  t.is(formatNumber(-0), '0');
  t.is(formatNumber(Infinity), 'null');
  t.is(formatNumber(1e21), '1e+21'); // integers print as integers (JS's own, locale-free form)
});

test('trace: the writer buffers, flushes in chunks, and costs nothing when disabled', (t) => {
  const sink = memorySink();
  const w = new TraceWriter({ sink, bufferChars: 100 });
  for (let i = 0; i < 10; i++) w.emit(i, 'a', 'tick', { i });
  t.true(sink.text().length > 0, 'flushed once the buffer filled');
  w.flush();
  t.is(sink.text().split('\n').length - 1, 10);
  w.enabled = false;
  w.emit(11, 'a', 'tick');
  w.flush();
  t.is(w.lines, 10);
  t.false(new TraceWriter().enabled, 'no sink: off by default');
});

test('trace: a file sink writes the same bytes as memory', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'simtrace-'));
  const path = join(dir, 't.jsonl');
  const mem = memorySink();
  const a = new TraceWriter({ sink: fileSink(path) });
  const b = new TraceWriter({ sink: mem });
  for (const w of [a, b]) { w.emit(1.25, 'x', 'e', { k: 1 }); w.emit(2, null, 'f'); w.close(); }
  t.is(readFileSync(path, 'utf8'), mem.text());
});
