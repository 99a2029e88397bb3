import { request } from 'node:http';

/**
 * HTTP GETs to ONE tracker. The query is passed raw (info_hash is percent-encoded bytes), and
 * the body comes back as raw bytes so cases can check its exact encoding (sorted keys).
 * Bounded: a body cap, a timeout, and a request budget per channel.
 */
export interface HttpChannel {
  /** GET `path?rawQuery` on the target (path like '/announce'). */
  get(path: string, rawQuery: string, timeoutMs: number): Promise<{ status: number; body: Uint8Array }>;
  readonly requests: number;
}

const MAX_BODY = 1 << 20;

export function httpChannel(base: URL, opts: { maxRequests?: number } = {}): HttpChannel {
  if (base.protocol !== 'http:') throw new Error(`only http:// trackers are supported, got ${base.protocol}`);
  let n = 0;
  const max = opts.maxRequests ?? 128;
  return {
    get requests() { return n; },
    get(path, rawQuery, timeoutMs) {
      if (++n > max) return Promise.reject(new Error(`request budget of ${max} exceeded`));
      return new Promise((resolve, reject) => {
        const req = request({
          host: base.hostname.replace(/^\[|\]$/g, ''), port: base.port || 80, method: 'GET',
          path: rawQuery ? `${path}?${rawQuery}` : path, agent: false, timeout: timeoutMs,
          headers: { 'user-agent': 'bt-lab-conformance/0.1', connection: 'close' },
        }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY) { req.destroy(new Error(`body larger than ${MAX_BODY} bytes`)); return; }
            chunks.push(c);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: new Uint8Array(Buffer.concat(chunks)) }));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end();
      });
    },
  };
}

/** An in-process tracker: a function from (path, rawQuery) to a response. */
export function inProcessHttp(handle: (path: string, rawQuery: string) => { status: number; body: Uint8Array }): HttpChannel {
  let n = 0;
  return {
    get requests() { return n; },
    get: async (path, rawQuery) => { n++; return handle(path, rawQuery); },
  };
}
