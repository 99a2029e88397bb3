import test from 'ava';
import type { Address, UdpSocket } from '../../core/seam/net.js';
import { createNodeUdpNet } from './udp.js';

/** Poll until `cond` holds (loopback delivery is fast but not synchronous); fail after 3 s. */
async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

const bind = (net = createNodeUdpNet(), host?: string, onData?: (d: Uint8Array, from: Address) => void) =>
  new Promise<UdpSocket>((resolve, reject) => net.bind({ port: 0, host }, onData ?? (() => {}), (e, s) => (e ? reject(e) : resolve(s!))));

test('udp4 on 127.0.0.1: datagrams both ways with the sender address', async (t) => {
  const got: Array<[string, Address]> = [];
  const a = await bind(undefined, '127.0.0.1', (d, from) => got.push([Buffer.from(d).toString(), from]));
  let b!: UdpSocket;
  const echoed = new Promise<string>((resolve) => {
    void bind(undefined, '127.0.0.1', (d) => resolve(Buffer.from(d).toString())).then((s) => { b = s; s.send(new TextEncoder().encode('ping'), { host: '127.0.0.1', port: a.port }); });
  });
  await waitFor(() => got.length > 0);
  t.deepEqual(got.map((g) => g[0]), ['ping']);
  t.is(got[0][1].host, '127.0.0.1');
  t.is(got[0][1].port, b.port);
  a.send(new TextEncoder().encode('pong'), got[0][1]);
  t.is(await echoed, 'pong');
  a.close(); b.close();
  a.close(); // idempotent
});

test('one unbound-host socket talks to both families (IPv6 companion on ::1)', async (t) => {
  const got: string[] = [];
  const v6 = await bind(undefined, '::1', (d, from) => got.push(`${Buffer.from(d).toString()} from ${from.host}`));
  const any = await bind(undefined, undefined);
  any.send(new TextEncoder().encode('six'), { host: '::1', port: v6.port });
  await waitFor(() => got.length > 0);
  t.deepEqual(got, ['six from ::1']);
  any.close(); v6.close();
});

test('errors never crash: bad destinations are dropped, a port in use fails through ready, a throwing handler is contained', async (t) => {
  const errors: Error[] = [];
  const net = createNodeUdpNet({ onError: (e) => errors.push(e) });
  const s = await bind(net, '127.0.0.1', () => { throw new Error('handler bug'); });
  s.send(new Uint8Array(1), { host: '127.0.0.1', port: 0 });
  s.send(new Uint8Array(1), { host: 'no-such-host.invalid', port: 1 });
  s.send(new Uint8Array(1), { host: '127.0.0.1', port: 70000 });
  const other = await bind(net, '127.0.0.1');
  other.send(new Uint8Array([1]), { host: '127.0.0.1', port: s.port });
  await waitFor(() => errors.some((e) => /handler bug/.test(e.message)));
  t.true(errors.some((e) => /handler bug/.test(e.message)));
  const err = await new Promise<Error | null>((res) => net.bind({ port: s.port, host: '127.0.0.1' }, () => {}, (e) => res(e)));
  t.truthy(err);
  s.close(); other.close();
});
