import test from 'ava';
import { makeSelector } from './glob.js';
import { allCases, selectCases } from './registry.js';

const c = (id: string) => ({ id, clause: id.split(':')[0] });

test('--cases: globs match case ids and clauses, `!` excludes, empty selects all', (t) => {
  const sel = makeSelector('BEP15-CONN-*,!BEP15-CONN-4');
  t.true(sel(c('BEP15-CONN-2:layout')));
  t.false(sel(c('BEP15-CONN-4:bad-connection-id')));
  t.false(sel(c('BEP15-ANN-3:layout')));
  t.true(makeSelector('bep5-q-?')(c('BEP5-Q-6:store')), 'case-insensitive, ? is one character, a clause selects its cases');
  t.true(makeSelector(undefined)(c('anything')));
  t.true(makeSelector('*:peer-list')(c('BEP15-ANN-3:peer-list')));
});

test("selectCases('tracker-udp', 'BEP15-CONN-*') selects only connect cases", (t) => {
  const ids = selectCases('tracker-udp', 'BEP15-CONN-*').map((x) => x.id);
  t.true(ids.length >= 3);
  t.true(ids.every((id) => id.startsWith('BEP15-CONN-')));
});

test('every case id is unique, names its clause, and the clause appears in its id', (t) => {
  const ids = allCases().map((x) => x.id);
  t.is(new Set(ids).size, ids.length);
  for (const x of allCases()) {
    t.true(x.id.startsWith(`${x.clause}:`), x.id);
    t.regex(x.clause, /^BEP\d+-[A-Z0-9]+(-[0-9]+)?$/, x.id);
  }
});
