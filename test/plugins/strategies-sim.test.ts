/**
 * "Every strategy runs both in bt-lab sim and in bt-lab download" (issue #7, item 6): each
 * registered picker and each choker (the free rider excepted: it is meant to starve others)
 * drives a small simulated swarm — the same Client/Torrent core `bt-lab download` runs — and
 * every leecher must complete. `bt-lab download` resolves the same names (and module paths)
 * through resolvePicker/resolveChoker, checked at the end.
 */
import test from 'ava';
import { runScenario } from '../../sim/scenario/run.js';
import { makeScenario } from '../../sim/scenario/types.js';
import { builtinChokers, builtinPickers, resolveChoker, resolvePicker } from '../../plugins/registry.js';
import { loadScenarioPlugins } from '../../sim/scenario/plugins.js';

const small = { peers: 10, seeds: 1, fileBytes: 2 * 1024 * 1024, pieceLength: 64 * 1024, maxSeconds: 1800, sampleEverySec: 10 };

for (const p of builtinPickers) {
  test(`sim: picker ${p.name} — all 10 leechers complete a 2 MiB swarm`, (t) => {
    const r = runScenario(makeScenario({ ...small, seed: 11, picker: p.name }));
    const leechers = r.nodes.filter((n) => n.role === 'leecher');
    t.is(leechers.length, 10);
    t.deepEqual(leechers.filter((n) => n.completedAt === null).map((n) => n.id), [], `unfinished after ${r.simSeconds} s`);
  });
}

for (const c of builtinChokers.filter((x) => x.name !== 'choker:freerider')) {
  test(`sim: choker ${c.name} — all 10 leechers complete a 2 MiB swarm`, (t) => {
    const r = runScenario(makeScenario({ ...small, seed: 12, choker: c.name }));
    const leechers = r.nodes.filter((n) => n.role === 'leecher');
    t.deepEqual(leechers.filter((n) => n.completedAt === null).map((n) => n.id), [], `unfinished after ${r.simSeconds} s`);
    // Leechers trade with each other, not only with the seed (tit-for-tat has something to do).
    t.true(leechers.reduce((a, n) => a + n.uploaded, 0) > 0);
  });
}

test('download: every built-in resolves by its short name, and the example plugins by module path', async (t) => {
  for (const p of builtinPickers) t.is(await resolvePicker(p.name.split(':')[1]), p);
  for (const c of builtinChokers) t.is(await resolveChoker(c.name.split(':')[1]), c);
  t.is((await resolvePicker('./dist/examples/plugins/rarest-in-order-picker.js')).name, 'picker:example-rarest-in-order');
  t.is((await resolveChoker('./dist/examples/plugins/waited-longest-choker.js')).name, 'choker:example-waited-longest');
  await t.throwsAsync(resolvePicker('no-such-picker'), { message: /unknown picker "no-such-picker" \(available: rarest, random, sequential/ });
});

test('sim: third-party plugins by module path — `bt-lab sim --picker ./x.js --choker ./y.js` and a strategy mix; an unknown name fails before the run', async (t) => {
  const picker = './dist/examples/plugins/rarest-in-order-picker.js';
  const choker = './dist/examples/plugins/waited-longest-choker.js';
  const s = makeScenario({ ...small, seed: 13, picker, choker, mix: [{ fraction: 0.3, picker: 'random', choker: 'reference', label: 'builtin' }] });
  const plugins = await loadScenarioPlugins(s);
  t.is(plugins.pickers.get(picker)?.name, 'picker:example-rarest-in-order');
  t.is(plugins.chokers.get(choker)?.name, 'choker:example-waited-longest');
  const r = runScenario(s, { plugins });
  const leechers = r.nodes.filter((n) => n.role === 'leecher');
  t.true(leechers.some((n) => n.picker === picker) && leechers.some((n) => n.picker === 'random'), 'both groups ran');
  t.deepEqual(leechers.filter((n) => n.completedAt === null).map((n) => n.id), [], `unfinished after ${r.simSeconds} s`);
  await t.throwsAsync(loadScenarioPlugins(makeScenario({ ...small, picker: './no/such-picker.js' })), { message: /cannot load picker plugin ".\/no\/such-picker.js"/ });
  await t.throwsAsync(loadScenarioPlugins(makeScenario({ ...small, choker: 'no-such-choker' })), { message: /unknown choker "no-such-choker"/ });
});
