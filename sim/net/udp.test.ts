import test from 'ava';
import { SimWorld } from '../world.js';
import { createSimHost } from '../host.js';
import type { Address, UdpSocket } from '../../core/seam/net.js';

function world2(udpLoss = 0, seed = 3) {
  const world = new SimWorld({ seed, net: { udpLoss } });
  const a = world.addNode({ id: 'a', accessLatencyMs: 7 });
  const b = world.addNode({ id: 'b', accessLatencyMs: 8 });
  return { world, a, b, ha: createSimHost(world, 'a'), hb: createSimHost(world, 'b') };
}

test('udp: datagrams carry copied bytes, arrive one latency later, with the sender address', (t) => {
  const { world, a, b, ha, hb } = world2();
  const got: Array<{ t: number; data: number[]; from: Address }> = [];
  let sb: UdpSocket | undefined;
  world.within('b', () => hb.udp.bind({ port: 6881 }, (data, from) => { got.push({ t: world.now, data: [...data], from }); sb!.send(Uint8Array.of(9), from); }, (e, s) => { sb = s; }));
  const back: number[] = [];
  world.within('a', () => ha.udp.bind({ port: 0, host: a.address }, (d) => back.push(world.now, d[0]), (err, s) => {
    t.is(err, null);
    const buf = Uint8Array.of(1, 2, 3);
    s!.send(buf, { host: b.address, port: 6881 });
    buf[0] = 99; // the socket copied it
  }));
  world.run();
  t.is(got.length, 1);
  t.deepEqual(got[0].data, [1, 2, 3]);
  t.is(got[0].t, 15);
  t.is(got[0].from.host, a.address);
  t.deepEqual(back, [30, 9]);
});

test('udp: datagrams to a closed port, a stopped node or an unknown host vanish', (t) => {
  const { world, b, ha, hb } = world2();
  let received = 0;
  world.within('b', () => hb.udp.bind({ port: 1 }, () => { received++; }, (e, s) => { s!.close(); }));
  const c = world.addNode({ id: 'c' });
  const hc = createSimHost(world, 'c');
  world.within('c', () => hc.udp.bind({ port: 1 }, () => { received++; }, () => {}));
  world.run();
  world.stopNode('c');
  world.within('a', () => ha.udp.bind({ port: 2 }, () => {}, (e, s) => {
    s!.send(Uint8Array.of(1), { host: b.address, port: 1 });
    s!.send(Uint8Array.of(1), { host: c.address, port: 1 });
    s!.send(Uint8Array.of(1), { host: '203.0.113.9', port: 1 });
  }));
  world.run();
  t.is(received, 0);
});

test('udp: bind errors: taken port, foreign address', (t) => {
  const { world, ha } = world2();
  const codes: Array<string | null> = [];
  const code = (e: Error | null) => codes.push(e ? (e as { code?: string }).code ?? '?' : null);
  world.within('a', () => {
    ha.udp.bind({ port: 5 }, () => {}, code);
    ha.udp.bind({ port: 5 }, () => {}, code);
    ha.udp.bind({ port: 6, host: '10.9.9.9' }, () => {}, code);
  });
  world.run();
  t.deepEqual(codes, [null, 'EADDRINUSE', 'EADDRNOTAVAIL']);
});

test('udp: loss is seeded — same seed, same losses; rate near the configured one', (t) => {
  const run = (seed: number) => {
    const { world, b, ha, hb } = world2(0.3, seed);
    const got: number[] = [];
    world.within('b', () => hb.udp.bind({ port: 1 }, (d) => got.push(d[0] | (d[1] << 8)), () => {}));
    world.within('a', () => ha.udp.bind({ port: 2 }, () => {}, (e, s) => {
      for (let i = 0; i < 2000; i++) s!.send(Uint8Array.of(i & 255, i >> 8), { host: b.address, port: 1 });
    }));
    world.run();
    return got;
  };
  const r1 = run(11), r2 = run(11), r3 = run(12);
  t.deepEqual(r1, r2);
  t.notDeepEqual(r1, r3);
  t.true(Math.abs(r1.length / 2000 - 0.7) < 0.05, `delivered ${r1.length}`);
});
