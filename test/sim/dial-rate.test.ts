/**
 * EngineConfig.maxDialsPerSecond (libtorrent's connection_speed): a peer that learns many
 * addresses at once dials them at a bounded rate, not as fast as attempts fail. Run through
 * the real engine in the simulator: 120 live nodes that refuse connections (nothing listens),
 * so each attempt ends one round trip later and the in-flight cap alone would allow hundreds
 * of dials a second.
 */
import test from 'ava';
import { SimWorld } from '../../sim/world.js';
import { createSimHost } from '../../sim/host.js';
import { syntheticTorrent } from '../../sim/scenario/synthetic-torrent.js';
import { Client } from '../../core/client/client.js';
import { builtinChoker, builtinPicker } from '../../plugins/registry.js';
import { TraceWriter, memorySink } from '../../sim/trace.js';
import type { Address } from '../../core/seam/net.js';

function dialTimes(maxDialsPerSecond: number | undefined): number[] {
  const sink = memorySink();
  const trace = new TraceWriter({ sink });
  const world = new SimWorld({ seed: 11, trace });
  world.addNode({ id: 'leech' });
  const targets: Address[] = world.addNodes(120, {}, 'x').map((n) => ({ host: n.address, port: 6881 }));
  const info = syntheticTorrent(1024 * 1024, 256 * 1024);
  world.within('leech', () => {
    const c = new Client(createSimHost(world, 'leech'));
    c.listen(6881, (err) => {
      if (err) throw err;
      c.add({
        info, initialPeers: targets,
        picker: builtinPicker('rarest').create({}), choker: builtinChoker('reference').create({}),
        config: maxDialsPerSecond === undefined ? {} : { maxDialsPerSecond },
      }).start();
    });
  });
  world.run({ until: 8_000 });
  trace.close();
  return sink.text().trimEnd().split('\n').map((l) => JSON.parse(l) as { t: number; n: string; e: string })
    .filter((o) => o.n === 'leech' && o.e === 'link.dial').map((o) => o.t);
}

test('engine: new connection attempts follow maxDialsPerSecond (a burst of that many, then that many per second)', (t) => {
  const limited = dialTimes(undefined); // the default: 30 a second
  const t0 = limited[0];
  // Token bucket: by time t at most burst + rate × t attempts.
  for (let i = 0; i < limited.length; i++) {
    t.true(i + 1 <= 30 + (30 * (limited[i] - t0)) / 1000 + 1e-9, `attempt ${i + 1} at ${limited[i] - t0} ms`);
  }
  // A burst of 30, then about one every 33 ms (an attempt waits for the next failure or tick).
  const firstSecond = limited.filter((x) => x < t0 + 1000).length;
  t.true(firstSecond >= 50 && firstSecond <= 60, `${firstSecond} attempts in the first second`);
  // Every address is tried once the budget allows (120 = 30 + 30 × 3 s).
  t.true(limited.length >= 120, `${limited.length} attempts`);

  const free = dialTimes(Infinity);
  const freeFirstSecond = free.filter((x) => x < free[0] + 1000).length;
  t.true(freeFirstSecond >= 120, `without the limit the in-flight cap alone allows ${freeFirstSecond} attempts in the first second`);
});
