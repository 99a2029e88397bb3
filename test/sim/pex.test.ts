/**
 * BEP 11 end to end, through the real engine in the simulator: peers that start knowing only
 * their neighbour in a chain learn the rest of the swarm from PEX, and a peer whose own address
 * comes back to it in a PEX list dials it at most once (it recognises its own peer id and never
 * tries that address again). No tracker: PEX is the only way to learn anything.
 */
import test from 'ava';
import { SimWorld } from '../../sim/world.js';
import { createSimHost } from '../../sim/host.js';
import { syntheticTorrent } from '../../sim/scenario/synthetic-torrent.js';
import { Client } from '../../core/client/client.js';
import { builtinChoker, builtinPicker } from '../../plugins/registry.js';
import { TraceWriter, memorySink } from '../../sim/trace.js';

const N = 12;

test('BEP 11: in a chain where each peer starts knowing one neighbour, PEX spreads the addresses; a peer named to itself dials itself at most once', (t) => {
  const sink = memorySink();
  const trace = new TraceWriter({ sink });
  const world = new SimWorld({ seed: 5, trace });
  // Nobody has the data: connections stay up (the idle timeout is 5 min), which is all PEX needs.
  const nodes = world.addNodes(N, {}, 'c');
  const info = syntheticTorrent(8 * 1024 * 1024, 256 * 1024);
  const torrents: ReturnType<Client['add']>[] = [];
  nodes.forEach((n, i) => {
    world.within(n.id, () => {
      const c = new Client(createSimHost(world, n.id));
      c.listen(6881, (err) => {
        if (err) throw err;
        const tor = c.add({
          info,
          // Only the previous node of the chain (node 0 knows nobody).
          initialPeers: i === 0 ? [] : [{ host: nodes[i - 1].address, port: 6881 }],
          picker: builtinPicker('rarest').create({}), choker: builtinChoker('reference').create({}),
          // No selfAddresses: the peer must find out on its own that an address is itself.
        });
        torrents.push(tor);
        tor.start();
      });
    });
  });
  world.run({ until: 150_000 });
  trace.close();
  const lines = sink.text().trimEnd().split('\n').map((l) => JSON.parse(l) as { n: string; e: string; to?: string });
  const address = new Map(nodes.map((n) => [n.id, `${n.address}:6881`]));
  let namedToItself = 0;
  for (const n of nodes.slice(2)) {
    const dialled = new Set(lines.filter((o) => o.n === n.id && o.e === 'link.dial').map((o) => o.to));
    t.true(dialled.size >= 4, `${n.id} dialled ${dialled.size} distinct addresses (it started knowing 1)`);
    const selfDials = lines.filter((o) => o.n === n.id && o.e === 'link.dial' && o.to === address.get(n.id)).length;
    t.true(selfDials <= 1, `${n.id} dialled itself ${selfDials} times`);
    if (selfDials === 1) namedToItself++;
  }
  t.true(namedToItself > 0, 'some peer heard its own address (else this test checks nothing about it)');
  const known = torrents.map((x) => x.stats().knownPeers);
  t.true(known.filter((k) => k >= N / 2).length >= N / 2, `known addresses per node: ${known.join(' ')}`);
});
