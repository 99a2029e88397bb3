import test from 'ava';
import { BtLabError } from '../../core/util/errors.js';
import { buildMatrix, parseList, splitSpec, strategiesOf } from './matrix.js';
import { parseMix, scenarioFromFlags } from '../../sim/scenario/flags.js';

test('parseList splits commas, trims, accepts repeated flags, refuses empty and duplicates', (t) => {
  t.deepEqual(parseList('rarest, random', 'picker'), ['rarest', 'random']);
  t.deepEqual(parseList(['a', 'b,c'], 'picker'), ['a', 'b', 'c']);
  t.throws(() => parseList(' , ', 'picker'), { instanceOf: BtLabError, message: /at least one/ });
  t.throws(() => parseList('a,b,a', 'choker'), { instanceOf: BtLabError, message: /twice/ });
});

test('buildMatrix: pickers × chokers × seeds, strategy-major, same seeds for every strategy', (t) => {
  const jobs = buildMatrix({ peers: 10 }, ['rarest', 'random'], ['reference', 'bittyrant'], 3, 7);
  t.is(jobs.length, 12);
  t.deepEqual(jobs.map((j) => j.index), [...Array(12).keys()]);
  t.deepEqual(strategiesOf(jobs).map((s) => s.key), ['rarest/reference', 'rarest/bittyrant', 'random/reference', 'random/bittyrant']);
  for (const s of strategiesOf(jobs)) t.deepEqual(jobs.filter((j) => j.strategy.key === s.key).map((j) => j.seed), [7, 8, 9]);
  for (const j of jobs) {
    t.is(j.scenario.seed, j.seed);
    t.is(j.scenario.picker, j.strategy.picker);
    t.is(j.scenario.choker, j.strategy.choker);
    t.is(j.scenario.peers, 10);
  }
});

test('buildMatrix refuses bad runs/seed and bad scenarios (typed errors)', (t) => {
  t.throws(() => buildMatrix({}, ['rarest'], ['reference'], 0, 1), { instanceOf: BtLabError, message: /--runs/ });
  t.throws(() => buildMatrix({}, ['rarest'], ['reference'], 1, -1), { instanceOf: BtLabError, message: /--seed/ });
  t.throws(() => buildMatrix({ peers: 0 }, ['rarest'], ['reference'], 1, 1), { instanceOf: BtLabError, message: /peers/ });
});

test('parseMix: FRACTION:PICKER/CHOKER with either side optional', (t) => {
  t.deepEqual(parseMix('0.1:/bittyrant'), { fraction: 0.1, choker: 'bittyrant' });
  t.deepEqual(parseMix('0.5:random/'), { fraction: 0.5, picker: 'random' });
  t.deepEqual(parseMix('.25:random/propshare'), { fraction: 0.25, picker: 'random', choker: 'propshare' });
  t.throws(() => parseMix('bittyrant'), { instanceOf: BtLabError });
  t.throws(() => parseMix('1.5:/x'), { instanceOf: BtLabError });
});

test('scenarioFromFlags maps the sim flags (same syntax as bt-lab sim)', (t) => {
  const s = scenarioFromFlags({ peers: 20, 'file-mib': 2, 'piece-kib': 64, arrivals: 'poisson:2.5', leave: 'seed:30', 'free-riders': 0.2, mix: ['0.1:/bittyrant'], 'choker-opt': ['slots=4'] });
  t.is(s.peers, 20);
  t.is(s.fileBytes, 2 * 2 ** 20);
  t.is(s.pieceLength, 65536);
  t.deepEqual(s.arrivals, { kind: 'poisson', ratePerSec: 2.5 });
  t.deepEqual(s.departure, { kind: 'seed', seconds: 30 });
  t.is(s.freeRiders, 0.2);
  t.deepEqual(s.mix, [{ fraction: 0.1, choker: 'bittyrant' }]);
  t.deepEqual(s.chokerOptions, { slots: 4 });
  t.throws(() => scenarioFromFlags({ arrivals: 'trickle' }), { instanceOf: BtLabError });
  t.throws(() => scenarioFromFlags({ leave: 'never' }), { instanceOf: BtLabError });
});

test('per-strategy options: name?k=v&k=v merged over the shared options, key keeps the full spec', (t) => {
  t.deepEqual(splitSpec('reference?optimisticEvery=30&seedMode=round-robin'), { name: 'reference', options: { optimisticEvery: 30, seedMode: 'round-robin' } });
  t.deepEqual(splitSpec('rarest'), { name: 'rarest', options: {} });
  const jobs = buildMatrix({ chokerOptions: { slots: 3, optimisticEvery: 3 } }, ['rarest'], ['reference', 'reference?optimisticEvery=30'], 1, 1);
  t.deepEqual(jobs.map((j) => j.strategy.key), ['rarest/reference', 'rarest/reference?optimisticEvery=30']);
  t.deepEqual(jobs.map((j) => j.scenario.choker), ['reference', 'reference']);
  t.deepEqual(jobs[0].scenario.chokerOptions, { slots: 3, optimisticEvery: 3 });
  t.deepEqual(jobs[1].scenario.chokerOptions, { slots: 3, optimisticEvery: 30 });
});
