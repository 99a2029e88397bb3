import type { Address, HttpNet, HttpRequest, HttpResponse, Listener } from '../../core/seam/net.js';
import { BtLabError } from '../../core/util/errors.js';
import type { SimNetwork } from './network.js';
import type { SimNode } from './node.js';
import { assertLive } from './peer-net.js';

export type HttpHandler = (req: HttpRequest, respond: (res: HttpResponse) => void) => void;

/**
 * HTTP GET inside the simulation, so a tracker server can run on a node. The URL's host is a
 * node address. Timing: the request reaches the server after 1.5 round trips (SYN, SYN-ACK,
 * then the request) and the response comes back one latency after the handler responds — the
 * 2 RTT of a fresh HTTP/1.1 connection. Bodies are not charged against bandwidth (tracker
 * replies are small). Failures mirror Node's codes: ENOTFOUND (not a node address),
 * ECONNREFUSED (no server on that port, after one RTT), ETIMEDOUT (node gone or server
 * silent), EMSGSIZE (body over maxBytes).
 */
export function createSimHttp(net: SimNetwork, node: SimNode): HttpNet {
  const ctx = node.ctx;
  const k = net.kernel;
  return {
    get(url, opts, done) {
      assertLive(node, ctx);
      let finished = false;
      const finish = (err: Error | null, res?: HttpResponse): void => {
        if (finished) return;
        finished = true;
        timer.cancel();
        done(err, res);
      };
      const timer = k.after(opts.timeoutMs, () => finish(new BtLabError('ETIMEDOUT', `GET ${url}: timed out after ${opts.timeoutMs} ms`, { url })), ctx);
      let u: URL;
      try {
        u = new URL(url);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`unsupported protocol ${u.protocol}`);
      } catch (e) {
        k.schedule(k.now, () => finish(new BtLabError('EINVAL', `GET ${url}: ${(e as Error).message}`, { url })), 0, ctx);
        return { cancel() { finished = true; timer.cancel(); } };
      }
      const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
      const port = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
      const rawQuery = u.search.startsWith('?') ? u.search.slice(1) : u.search;
      const server = net.resolve(host);
      if (server === undefined) {
        // A known-but-stopped node is a black hole (timeout); an unknown name fails fast.
        if (!isNodeAddressLike(host)) k.schedule(k.now, () => finish(new BtLabError('ENOTFOUND', `GET ${url}: getaddrinfo ENOTFOUND ${host}`, { url })), 0, ctx);
        return { cancel() { finished = true; timer.cancel(); } };
      }
      const up = net.latency(node, server);
      const down = net.latency(server, node);
      const remote: Address = { host: node.address, port: node.allocPort('dial') };
      k.schedule(k.now + up, () => {
        const svc = server.tcp.get(port);
        if (svc === undefined || svc.kind !== 'http') {
          k.schedule(k.now + down, () => finish(new BtLabError('ECONNREFUSED', `GET ${url}: connect ECONNREFUSED ${host}:${port}`, { url })), 0, ctx);
          return;
        }
        k.schedule(k.now + down + up, () => {
          const live = server.tcp.get(port);
          if (live === undefined || live.kind !== 'http') return; // server went away mid-request: timeout
          let responded = false;
          const req: HttpRequest = { path: u.pathname, rawQuery, remote };
          live.handler(req, (res) => {
            if (responded) return;
            responded = true;
            k.schedule(k.now + down, () => {
              if (res.body.length > opts.maxBytes) finish(new BtLabError('EMSGSIZE', `GET ${url}: body over ${opts.maxBytes} bytes`, { url, length: res.body.length }));
              else finish(null, res);
            }, 0, ctx);
          });
        }, 0, server.ctx);
      }, 0, server.ctx);
      return { cancel() { finished = true; timer.cancel(); } };
    },

    serve(port, handler, ready): void {
      assertLive(node, ctx);
      const p = port === 0 ? node.allocPort('tcp') : port;
      let err: Error | null = null;
      if (!(Number.isInteger(p) && p > 0 && p < 65536)) err = new BtLabError('EINVAL', `serve: bad port ${port}`, { port });
      else if (node.tcp.has(p)) err = new BtLabError('EADDRINUSE', `listen EADDRINUSE ${node.address}:${p}`, { port: p });
      let listener: Listener | undefined;
      if (err === null) {
        const service = { kind: 'http' as const, handler };
        node.tcp.set(p, service);
        listener = { port: p, close() { if (node.ctx === ctx && node.tcp.get(p) === service) node.tcp.delete(p); } };
      }
      k.schedule(k.now, () => ready(err, listener), 0, ctx);
    },
  };
}

/** Literal IPv4/IPv6 addresses are "somewhere on the net" (black hole if nobody is there). */
function isNodeAddressLike(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}
