import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { HttpNet, HttpResponse, Listener } from '../../core/seam/net.js';
import { BtLabError } from '../../core/util/errors.js';

/**
 * Real HTTP for the core's HttpNet.
 * - get: http/https GET with ONE overall deadline (connect + headers + body), a redirect
 *   limit, and a body cap: a longer body is an error, never buffered past `maxBytes`.
 *   `done` is called exactly once, unless cancelled (then never).
 * - serve: GET only; the handler sees the path and the RAW query string (info_hash is raw
 *   bytes percent-escaped, so nothing may decode it on the way).
 */
export interface NodeHttpOptions {
  /** Address serve() binds (default all interfaces; tests use 127.0.0.1). */
  bindHost?: string;
  maxRedirects?: number;
  userAgent?: string;
}

export class HttpError extends BtLabError {
  constructor(reason: string, context: Record<string, unknown> = {}) {
    super('EHTTP', `http: ${reason}`, context);
  }
}

const unmap = (h: string) => (h.startsWith('::ffff:') && h.includes('.') ? h.slice(7) : h);

export function createNodeHttpNet(opts: NodeHttpOptions = {}): HttpNet {
  const maxRedirects = opts.maxRedirects ?? 5;
  const agent = opts.userAgent ?? 'bt-lab/0.1';

  return {
    get(url, { timeoutMs, maxBytes }, done) {
      let finished = false;
      let req: http.ClientRequest | undefined;
      const finish = (err: Error | null, res?: HttpResponse) => {
        if (finished) return;
        finished = true;
        clearTimeout(deadline);
        req?.destroy();
        done(err, res);
      };
      const deadline = setTimeout(() => finish(new HttpError(`timeout after ${timeoutMs} ms`, { timeoutMs })), timeoutMs);
      deadline.unref?.();

      const fetch = (target: string, hops: number) => {
        let u: URL;
        try { u = new URL(target); } catch { finish(new HttpError('bad URL', { url: target.slice(0, 200) })); return; }
        const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : null;
        if (!mod) { finish(new HttpError(`unsupported scheme ${u.protocol}`)); return; }
        try {
          // agent: false = one connection per request. Node 20's global agent keeps sockets
          // alive and reuses them, and trackers such as opentracker close right after the
          // reply: every second request then died with "socket hang up".
          req = mod.get(u, { agent: false, headers: { 'user-agent': agent, 'accept-encoding': 'identity', connection: 'close' } }, (res) => {
            const status = res.statusCode ?? 0;
            if (status >= 300 && status < 400 && res.headers.location) {
              res.resume();
              if (hops >= maxRedirects) { finish(new HttpError(`more than ${maxRedirects} redirects`)); return; }
              fetch(new URL(res.headers.location, u).toString(), hops + 1);
              return;
            }
            const declared = Number(res.headers['content-length'] ?? NaN);
            if (declared > maxBytes) { finish(new HttpError(`body of ${declared} bytes exceeds the ${maxBytes}-byte cap`, { maxBytes })); return; }
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > maxBytes) { finish(new HttpError(`body exceeds the ${maxBytes}-byte cap`, { maxBytes })); return; }
              chunks.push(c);
            });
            res.on('end', () => {
              const body = Buffer.concat(chunks);
              finish(null, { status, body: new Uint8Array(body.buffer, body.byteOffset, body.length) });
            });
            res.on('error', (e) => finish(new HttpError(e.message)));
          });
          req.on('error', (e) => finish(new HttpError(e.message, { code: (e as NodeJS.ErrnoException).code })));
        } catch (e) {
          finish(new HttpError((e as Error).message));
        }
      };
      fetch(url, 0);
      return { cancel: () => { if (!finished) { finished = true; clearTimeout(deadline); req?.destroy(); } } };
    },

    serve(port, handler, ready) {
      const server = http.createServer((req, res) => {
        if (req.method !== 'GET') { res.writeHead(405, { allow: 'GET' }).end(); return; }
        const raw = req.url ?? '/';
        const q = raw.indexOf('?');
        const path = q >= 0 ? raw.slice(0, q) : raw;
        const rawQuery = q >= 0 ? raw.slice(q + 1) : '';
        let responded = false;
        try {
          handler({ path, rawQuery, remote: { host: unmap(req.socket.remoteAddress ?? ''), port: req.socket.remotePort ?? 0 } }, (r) => {
            if (responded) return;
            responded = true;
            res.writeHead(r.status, { 'content-type': 'text/plain', 'content-length': r.body.length });
            res.end(r.body);
          });
        } catch {
          if (!responded) { responded = true; res.writeHead(500).end(); }
        }
      });
      server.keepAliveTimeout = 5_000;
      server.headersTimeout = 10_000;
      server.requestTimeout = 15_000;
      let listening = false;
      server.on('error', (e) => { if (!listening) ready(e); });
      server.listen(port, opts.bindHost, () => {
        listening = true;
        const l: Listener = {
          port: (server.address() as AddressInfo).port,
          close: () => { server.close(); server.closeAllConnections?.(); },
        };
        ready(null, l);
      });
    },
  };
}
