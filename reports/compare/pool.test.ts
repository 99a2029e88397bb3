import test from 'ava';
import { resultJson } from '../../sim/scenario/io.js';
import { BtLabError } from '../../core/util/errors.js';
import { buildMatrix } from './matrix.js';
import { runJobs } from './pool.js';
import { preparePlugins } from './plugins.js';

const tiny = { peers: 8, fileBytes: 1 << 20, pieceLength: 64 * 1024, maxSeconds: 600 };

test('results from 2 worker threads are byte-identical to a serial run, in job order', async (t) => {
  const jobs = buildMatrix(tiny, ['rarest'], ['reference', 'freerider'], 3, 11);
  const progress: number[] = [];
  const parallel = await runJobs(jobs, { jobs: 2, onProgress: (f) => progress.push(f) });
  const serial = await runJobs(jobs, { jobs: 1 });
  t.is(parallel.length, jobs.length);
  for (let i = 0; i < jobs.length; i++) {
    t.is(parallel[i].scenario.seed, jobs[i].seed);
    t.is(parallel[i].scenario.choker, jobs[i].strategy.choker);
    t.is(resultJson(parallel[i]), resultJson(serial[i]), `job ${i}`);
  }
  t.is(progress[progress.length - 1], 1);
  t.true(progress.every((f) => f >= 0 && f <= 1));
});

test('different seeds give different swarms (the matrix really varies the seed)', async (t) => {
  const [a, b] = await runJobs(buildMatrix(tiny, ['rarest'], ['reference'], 2, 1), { jobs: 1 });
  t.not(resultJson(a), resultJson(b));
});

test('an unknown plugin name fails before any run, with the typed plugin error', async (t) => {
  await t.throwsAsync(preparePlugins(['no-such-picker'], ['reference']), { instanceOf: BtLabError, message: /unknown picker/ });
});

test('a failing run in a worker rejects with ECOMPARE naming the run', async (t) => {
  const jobs = buildMatrix(tiny, ['rarest'], ['reference'], 2, 1);
  // Not constructible through makeScenario: a picker the worker's registry does not know.
  jobs[1] = { ...jobs[1], scenario: { ...jobs[1].scenario, picker: 'missing' } };
  const err = await t.throwsAsync(runJobs(jobs, { jobs: 2 }), { instanceOf: BtLabError });
  t.is(err?.code, 'ECOMPARE');
  t.regex(err!.message, /seed 2/);
});

test('third-party plugins by module path: named after the plugin, handed to runScenario in every thread, byte-identical serial vs 2 workers', async (t) => {
  const picker = new URL('../../examples/plugins/rarest-in-order-picker.js', import.meta.url).pathname;
  const choker = new URL('../../examples/plugins/waited-longest-choker.js', import.meta.url).pathname;
  const prepared = await preparePlugins(['rarest', picker], [choker]);
  t.deepEqual(prepared.pickers, ['rarest', 'example-rarest-in-order']);
  t.deepEqual(prepared.chokers, ['example-waited-longest']);
  t.is(prepared.plugins.pickers.get('example-rarest-in-order')?.name, 'picker:example-rarest-in-order');
  const jobs = buildMatrix(tiny, prepared.pickers, prepared.chokers, 1, 5);
  const specs = { pickerSpecs: [picker], chokerSpecs: [choker] };
  const serial = await runJobs(jobs, { jobs: 1, plugins: prepared.plugins });
  const parallel = await runJobs(jobs, { jobs: 2, ...specs });
  for (let i = 0; i < jobs.length; i++) t.is(resultJson(parallel[i]), resultJson(serial[i]), `job ${i}`);
  t.is(serial[1].scenario.picker, 'example-rarest-in-order');
  t.true(serial[1].summary.completed > 0);
  // Nothing global was changed: a run without the plugins does not know the name.
  await t.throwsAsync(runJobs([jobs[1]], { jobs: 1 }), { message: /unknown picker/ });
});
