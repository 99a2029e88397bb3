import test from 'ava';
import { PassThrough } from 'node:stream';
import { ProgressBar } from './progress-bar.js';

test('bar text: fill, percent, runs, elapsed and ETA', (t) => {
  t.is(ProgressBar.line('compare', 0.5, 2, 4, 30, 10), 'compare [#####-----]  50 %  2/4 runs  0:30 elapsed, ETA 0:30');
  t.is(ProgressBar.line('compare', 1, 4, 4, 61, 10), 'compare [##########] 100 %  4/4 runs  1:01 elapsed');
  t.is(ProgressBar.line('x', 1.7, 0, 0, 0, 4), 'x [####] 100 %  0/0 runs  0:00 elapsed');
});

test('without a TTY it prints one line per 10 % step, not per update', (t) => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => { text += d; });
  const bar = new ProgressBar('c', out as unknown as NodeJS.WriteStream, false);
  for (let i = 0; i <= 100; i++) bar.update(i / 100, i, 100);
  bar.end();
  t.is(text.split('\n').filter(Boolean).length, 11);
  t.false(text.includes('\r'));
});
