import test from 'ava';
import { seededRandom } from '../util/prng.js';
import { TOKEN_BYTES, TokenManager } from './tokens.js';

const MIN = 60_000;

function fakeClock() {
  let t = 0;
  return { clock: { now: () => t }, set: (v: number) => { t = v; } };
}

test('BEP5-TOK-2: a token stays valid into the next 5-minute epoch and dies after it (≤ 10 min)', (t) => {
  const { clock, set } = fakeClock();
  const tm = new TokenManager(clock, seededRandom(1));
  const tok = tm.issue('10.0.0.1');
  t.is(tok.length, TOKEN_BYTES); // TOK-1: short and opaque
  set(4 * MIN + 59_999); t.true(tm.verify('10.0.0.1', tok));
  set(5 * MIN); t.true(tm.verify('10.0.0.1', tok)); // secret rotated once: previous still accepted
  set(10 * MIN - 1); t.true(tm.verify('10.0.0.1', tok));
  set(10 * MIN); t.false(tm.verify('10.0.0.1', tok)); // rotated twice: gone
});

test('BEP5-TOK-2: a token issued just before a rotation still lives until the end of the next epoch', (t) => {
  const { clock, set } = fakeClock();
  const tm = new TokenManager(clock, seededRandom(2));
  set(5 * MIN - 1);
  const tok = tm.issue('10.0.0.1');
  set(10 * MIN - 1); t.true(tm.verify('10.0.0.1', tok));
  set(10 * MIN); t.false(tm.verify('10.0.0.1', tok));
});

test('BEP5-TOK-2: a long silence (several epochs) invalidates everything at once', (t) => {
  const { clock, set } = fakeClock();
  const tm = new TokenManager(clock, seededRandom(3));
  const tok = tm.issue('10.0.0.1');
  set(60 * MIN);
  t.false(tm.verify('10.0.0.1', tok));
  const fresh = tm.issue('10.0.0.1');
  t.true(tm.verify('10.0.0.1', fresh));
});

test('BEP5-Q-6: a token is bound to the IP it was issued to', (t) => {
  const { clock } = fakeClock();
  const tm = new TokenManager(clock, seededRandom(4));
  const tok = tm.issue('10.0.0.1');
  t.true(tm.verify('10.0.0.1', tok));
  t.false(tm.verify('10.0.0.2', tok));
  t.false(tm.verify('10.0.0.1', new Uint8Array(TOKEN_BYTES)));
});
