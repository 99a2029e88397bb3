import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpResponse } from '../../core/seam/net.js';
import { createNodeHttpNet, HttpError } from './http.js';

/** A throwaway node:http server on 127.0.0.1 with a route table; closed by the test. */
async function server(routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>) {
  const s = http.createServer((req, res) => (routes[req.url!.split('?')[0]] ?? ((_q, r) => r.writeHead(404).end()))(req, res));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { base, close: () => { s.closeAllConnections(); s.close(); } };
}

const get = (url: string, timeoutMs = 2000, maxBytes = 1000) => new Promise<{ err: Error | null; res?: HttpResponse }>((resolve) => {
  createNodeHttpNet().get(url, { timeoutMs, maxBytes }, (err, res) => resolve({ err, res }));
});

test('get: body and status, redirects followed up to the limit', async (t) => {
  const s = await server({
    '/ok': (_q, r) => r.writeHead(200).end('hello'),
    '/teapot': (_q, r) => r.writeHead(418).end('d14:failure reason3:note'),
    '/r1': (_q, r) => r.writeHead(302, { location: '/ok' }).end(),
    '/loop': (_q, r) => r.writeHead(301, { location: '/loop' }).end(),
  });
  try {
    const ok = await get(`${s.base}/ok`);
    t.is(ok.res?.status, 200);
    t.is(Buffer.from(ok.res!.body).toString(), 'hello');
    t.is((await get(`${s.base}/teapot`)).res?.status, 418);
    t.is(Buffer.from((await get(`${s.base}/r1`)).res!.body).toString(), 'hello');
    const loop = await get(`${s.base}/loop`);
    t.true(loop.err instanceof HttpError);
    t.regex(loop.err!.message, /redirects/);
  } finally { s.close(); }
});

test('get: a body over maxBytes is an error (declared or streamed)', async (t) => {
  const s = await server({
    '/big': (_q, r) => r.writeHead(200, { 'content-length': 5000 }).end('x'.repeat(5000)),
    '/chunked': (_q, r) => { r.writeHead(200); r.write('y'.repeat(800)); r.end('y'.repeat(800)); },
  });
  try {
    t.regex((await get(`${s.base}/big`)).err!.message, /cap/);
    t.regex((await get(`${s.base}/chunked`)).err!.message, /cap/);
  } finally { s.close(); }
});

test('get: a server that never answers times out; connection refused is an error; cancel never calls back', async (t) => {
  const s = await server({ '/hang': () => {} });
  try {
    const r = await get(`${s.base}/hang`, 200);
    t.regex(r.err!.message, /timeout/);
    const dead = await get('http://127.0.0.1:1/announce', 2000);
    t.true(dead.err instanceof HttpError);
    let called = false;
    const h = createNodeHttpNet().get(`${s.base}/hang`, { timeoutMs: 100, maxBytes: 10 }, () => { called = true; });
    h.cancel();
    await new Promise((r) => setTimeout(r, 250));
    t.false(called);
  } finally { s.close(); }
});

test('serve: raw query string intact (percent-escapes kept), path split, remote address, non-GET refused', async (t) => {
  const net = createNodeHttpNet({ bindHost: '127.0.0.1' });
  const seen: Array<{ path: string; rawQuery: string; host: string }> = [];
  const l = await new Promise<{ port: number; close(): void }>((resolve, reject) => net.serve(0, (req, respond) => {
    seen.push({ path: req.path, rawQuery: req.rawQuery, host: req.remote.host });
    respond({ status: 200, body: new TextEncoder().encode('d8:intervali5ee') });
  }, (err, li) => (err ? reject(err) : resolve(li!))));
  try {
    const r = await get(`http://127.0.0.1:${l.port}/announce?info_hash=%00%FFa%2B+&x`);
    t.is(Buffer.from(r.res!.body).toString(), 'd8:intervali5ee');
    t.deepEqual(seen, [{ path: '/announce', rawQuery: 'info_hash=%00%FFa%2B+&x', host: '127.0.0.1' }]);
    const post = await fetch(`http://127.0.0.1:${l.port}/announce`, { method: 'POST' });
    t.is(post.status, 405);
  } finally { l.close(); }
});

test('serve: a port in use is reported through ready, not thrown', async (t) => {
  const net = createNodeHttpNet({ bindHost: '127.0.0.1' });
  const first = await new Promise<{ port: number; close(): void }>((res) => net.serve(0, () => {}, (_e, l) => res(l!)));
  try {
    const err = await new Promise<Error | null>((res) => net.serve(first.port, () => {}, (e) => res(e)));
    t.truthy(err);
  } finally { first.close(); }
});

test('get: one connection per request (a tracker that closes after replying never sees a reused socket)', async (t) => {
  const { createServer } = await import('node:net');
  let conns = 0;
  // Like opentracker: HTTP/1.1 reply without `Connection: close`, then the socket is closed.
  const s = createServer((c) => {
    conns++;
    c.once('data', () => { c.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'); setTimeout(() => c.destroy(), 5); });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  try {
    for (let i = 0; i < 5; i++) {
      const r = await get(`http://127.0.0.1:${port}/scrape?i=${i}`);
      t.is(r.err, null);
      await new Promise((res) => setTimeout(res, 20));
    }
    t.is(conns, 5);
  } finally { s.close(); }
});
