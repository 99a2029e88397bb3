import test from 'ava';
import { SimWorld } from '../world.js';
import { createSimHost } from '../host.js';
import type { HttpRequest, HttpResponse } from '../../core/seam/net.js';
import { utf8, fromUtf8 } from '../../core/util/bytes.js';

function setup() {
  const world = new SimWorld({ seed: 5 });
  const tracker = world.addNode({ id: 'tracker', accessLatencyMs: 10 });
  world.addNode({ id: 'client', accessLatencyMs: 10 });
  return { world, tracker, ht: createSimHost(world, 'tracker'), hc: createSimHost(world, 'client') };
}

test('http: a GET reaches an in-sim server (path, raw query, remote) and the reply comes back after 2 RTT', (t) => {
  const { world, tracker, ht, hc } = setup();
  const reqs: HttpRequest[] = [];
  world.within('tracker', () => ht.http.serve(80, (req, respond) => { reqs.push(req); respond({ status: 200, body: utf8('d8:intervali60ee') }); }, () => {}));
  let res: HttpResponse | undefined;
  let at = -1;
  world.within('client', () => hc.http.get(`http://${tracker.address}/announce?info_hash=%00%ff&port=6881`, { timeoutMs: 5000, maxBytes: 1000 }, (err, r) => {
    t.is(err, null);
    res = r; at = world.now;
  }));
  world.run();
  t.is(reqs.length, 1);
  t.is(reqs[0].path, '/announce');
  t.is(reqs[0].rawQuery, 'info_hash=%00%ff&port=6881');
  t.is(reqs[0].remote.host, world.node('client').address);
  t.is(res!.status, 200);
  t.is(fromUtf8(res!.body), 'd8:intervali60ee');
  t.is(at, 80); // 2 RTT, RTT = 40
});

test('http: refused, timed out, not found, too large, cancelled', (t) => {
  const { world, tracker, ht, hc } = setup();
  world.within('tracker', () => {
    ht.http.serve(81, () => { /* never responds */ }, () => {});
    ht.http.serve(82, (_q, respond) => respond({ status: 200, body: new Uint8Array(5000) }), () => {});
  });
  const out: Record<string, [string | null, number]> = {};
  const rec = (name: string) => (err: Error | null) => { out[name] = [err ? (err as { code?: string }).code ?? '?' : null, world.now]; };
  world.within('client', () => {
    hc.http.get(`http://${tracker.address}:8080/x`, { timeoutMs: 1000, maxBytes: 100 }, rec('refused'));
    hc.http.get(`http://${tracker.address}:81/x`, { timeoutMs: 1000, maxBytes: 100 }, rec('silent'));
    hc.http.get('http://tracker.example.org/x', { timeoutMs: 1000, maxBytes: 100 }, rec('dns'));
    hc.http.get(`http://${tracker.address}:82/x`, { timeoutMs: 1000, maxBytes: 100 }, rec('big'));
    const c = hc.http.get(`http://${tracker.address}:82/x`, { timeoutMs: 1000, maxBytes: 10_000 }, rec('cancelled'));
    hc.timers.after(10, () => c.cancel());
  });
  world.run();
  t.deepEqual(out.refused, ['ECONNREFUSED', 40]);
  t.deepEqual(out.silent, ['ETIMEDOUT', 1000]);
  t.deepEqual(out.dns, ['ENOTFOUND', 0]);
  t.deepEqual(out.big, ['EMSGSIZE', 80]);
  t.false('cancelled' in out);
});

test('http: a stopped server node is a black hole (timeout)', (t) => {
  const { world, tracker, ht, hc } = setup();
  world.within('tracker', () => ht.http.serve(80, (_q, r) => r({ status: 200, body: new Uint8Array(1) }), () => {}));
  world.stopNode('tracker');
  let code = '';
  world.within('client', () => hc.http.get(`http://${tracker.address}/a`, { timeoutMs: 3000, maxBytes: 10 }, (e) => { code = (e as { code?: string }).code ?? ''; }));
  world.run();
  t.is(code, 'ETIMEDOUT');
  t.is(world.now, 3000);
});
