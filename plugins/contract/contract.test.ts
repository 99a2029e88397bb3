import test from 'ava';
import { builtinChokers, builtinPickers, builtinSources } from '../registry.js';
import type { ChokerPlugin, PiecePickerPlugin } from '../../core/plugin-api/index.js';
import { BlockState } from '../../core/plugin-api/picker.js';
import { checkChoker, checkPicker, checkSource, contractOptions, runSource, addressProblem } from './index.js';
import { rarestFirstPicker } from '../pickers/rarest-first.js';

// Every registered plugin keeps its contract.
for (const p of builtinPickers) {
  test(`contract ${p.name}: safe picks, and every missing piece is eventually requested`, (t) => {
    for (const r of checkPicker(p, { numRuns: 120, seed: 42 })) t.true(r.ok, `${r.check}\n${r.detail ?? ''}`);
  });
}
for (const c of builtinChokers) {
  test(`contract ${c.name}: BEP3-CHOKE-1 slots bound, deterministic under a seeded Random`, (t) => {
    const results = checkChoker(c, { numRuns: 120, seed: 42 });
    for (const r of results) t.true(r.ok, `${r.check}\n${r.detail ?? ''}`);
    if ((c as { maxUnchoked?: unknown }).maxUnchoked) t.true(results.some((r) => r.check.includes('slots')));
  });
}
for (const s of builtinSources) {
  test(`contract ${s.name}: yields only valid addresses, stops`, (t) => {
    for (const r of checkSource(s, { options: contractOptions[s.name] })) t.true(r.ok, `${r.check}\n${r.detail ?? ''}`);
  });
}

test('contract harness exercises the tracker sources for real (BEP3-TRK-1, BEP15): they find the in-sim swarm', (t) => {
  for (const s of builtinSources.filter((x) => x.name.includes('tracker'))) t.is(runSource(s).found.length, 5, s.name);
  t.true(runSource(builtinSources.find((x) => x.name === 'source:dht')!, { options: contractOptions['source:dht'] }).privateDeclined, 'BEP 27: no DHT on a private torrent');
});

// The contract catches broken plugins (so a green run means something).
const wrap = (name: string, pick: PiecePickerPlugin['create']): PiecePickerPlugin => ({ name, description: 'test', create: pick });

test('contract catches a picker that asks for pieces the peer lacks', (t) => {
  const bad = wrap('picker:bad-lacks', () => ({ pick: (view, _peer, max) => (view.pieceCount > 0 && max > 0 ? [{ index: 0, block: 0 }] : []) }));
  const [safe] = checkPicker(bad, { numRuns: 100, seed: 1 });
  t.false(safe.ok);
});

test('contract catches a picker that re-requests received blocks', (t) => {
  const bad = wrap('picker:bad-received', () => {
    const inner = rarestFirstPicker();
    return {
      pick(view, peer, max, rng) {
        for (const i of view.partialPieces()) {
          for (let b = 0; b < view.blockCount(i); b++) if (view.blockState(i, b) === BlockState.Received && peer.has(i) && !peer.choking) return [{ index: i, block: b }];
        }
        return inner.pick(view, peer, max, rng);
      },
    };
  });
  t.false(checkPicker(bad, { numRuns: 150, seed: 1 })[0].ok);
});

test('contract catches a picker that never requests the last piece (liveness)', (t) => {
  const lazy = wrap('picker:bad-lazy', () => {
    const inner = rarestFirstPicker({ endgame: false });
    return { pick: (view, peer, max, rng) => inner.pick(view, peer, max, rng).filter((r) => r.index !== view.pieceCount - 1) };
  });
  const [safe, live] = checkPicker(lazy, { numRuns: 100, seed: 1 });
  t.true(safe.ok);
  t.false(live.ok);
  t.regex(live.detail ?? '', /stalled/);
});

test('contract catches a choker over its slots and a non-deterministic choker', (t) => {
  const greedy: ChokerPlugin & { maxUnchoked: () => number } = {
    name: 'choker:bad-greedy', description: 'test', maxUnchoked: () => 4,
    create: () => ({ intervalMs: 10_000, rechoke: (peers) => new Set(peers.filter((p) => p.interested).map((p) => p.id)) }),
  };
  t.false(checkChoker(greedy, { numRuns: 100, seed: 1 }).find((r) => r.check.includes('slots'))!.ok);
  let calls = 0;
  const flaky: ChokerPlugin = {
    name: 'choker:bad-flaky', description: 'test',
    // Ignores ctx.rng: a hidden global counter stands in for Math.random.
    create: () => ({ intervalMs: 10_000, rechoke: (peers) => new Set(peers.filter(() => (calls++ * 7919) % 3 === 0).map((p) => p.id)) }),
  };
  t.false(checkChoker(flaky, { numRuns: 100, seed: 1 }).find((r) => r.check.includes('deterministic'))!.ok);
});

test('contract: addressProblem accepts IP literals and host names, refuses junk', (t) => {
  t.is(addressProblem({ host: '10.0.0.1', port: 1 }), null);
  t.is(addressProblem({ host: '2001:db8::1', port: 65535 }), null);
  t.is(addressProblem({ host: 'peer.example.org', port: 6881 }), null);
  for (const bad of [{ host: '10.0.0.1', port: 0 }, { host: '', port: 1 }, { host: 'a b', port: 1 }, { host: '999.1.1.1', port: 1 }, { host: 'x', port: 1.5 }, null]) {
    t.not(addressProblem(bad), null, JSON.stringify(bad));
  }
});
