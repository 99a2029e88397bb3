import { connect, type Socket } from 'node:net';
import type { Address } from '../../core/seam/net.js';
import { ProtocolError } from '../../core/util/errors.js';
import { WireDecoder } from '../../core/wire/decoder.js';
import { encodeMessage } from '../../core/wire/encode.js';
import { encodeHandshake } from '../../core/wire/handshake.js';
import type { Handshake, PeerMessage } from '../../core/wire/types.js';

/**
 * One raw TCP peer-wire connection to the peer under test. We write bytes (so malformed
 * traffic can be sent on purpose) and read through bt-lab's WireDecoder (framing rules,
 * BEP3-MSG-1/4/5): everything the peer sends is logged in order, and a framing fault is kept
 * as `protocolError` (the first one stops decoding). Bounded in bytes received and lifetime.
 */
export interface Received {
  m: PeerMessage;
  /** Milliseconds since the connection opened (evidence only, never asserted). */
  at: number;
  /** Messages we had sent before this one arrived. */
  afterSent: number;
}

const MAX_RECEIVED_BYTES = 64 << 20;

export class PeerSession {
  handshake?: Handshake;
  readonly log: Received[] = [];
  protocolError?: ProtocolError;
  closed?: { reason: string; at: number };
  bytesReceived = 0;
  sentMessages = 0;
  private readonly sock: Socket;
  private readonly decoder: WireDecoder;
  private readonly t0 = Date.now();
  private wakers: Array<() => void> = [];
  private life: ReturnType<typeof setTimeout>;

  private constructor(sock: Socket, lifetimeMs: number) {
    this.sock = sock;
    this.decoder = new WireDecoder({
      handshake: (h) => { this.handshake = h; this.wake(); },
      message: (m) => { this.log.push({ m: copyMessage(m), at: Date.now() - this.t0, afterSent: this.sentMessages }); this.wake(); },
    });
    sock.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length;
      if (this.bytesReceived > MAX_RECEIVED_BYTES) { this.close('received byte budget exceeded'); return; }
      if (this.protocolError) return;
      try { this.decoder.push(new Uint8Array(chunk)); } catch (e) {
        // A framing fault is the peer's; anything else is ours — either way this session is
        // over, and nothing may escape an event handler (it would kill the whole run).
        this.protocolError = e instanceof ProtocolError ? e : new ProtocolError(`harness: ${(e as Error).message}`);
        this.wake();
      }
    });
    sock.on('close', () => this.markClosed('peer closed the connection'));
    sock.on('error', (e) => this.markClosed(`socket error: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    this.life = setTimeout(() => this.close('session lifetime exceeded'), lifetimeMs);
  }

  static open(to: Address, opts: { connectTimeoutMs?: number; lifetimeMs?: number } = {}): Promise<PeerSession> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host: to.host, port: to.port, noDelay: true });
      const timer = setTimeout(() => { sock.destroy(); reject(new Error(`cannot connect to ${to.host}:${to.port}: timeout`)); }, opts.connectTimeoutMs ?? 5000);
      sock.once('error', (e) => { clearTimeout(timer); reject(new Error(`cannot connect to ${to.host}:${to.port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)); });
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        resolve(new PeerSession(sock, opts.lifetimeMs ?? 60_000));
      });
    });
  }

  get elapsed(): number { return Date.now() - this.t0; }

  sendRaw(b: Uint8Array): void {
    if (!this.closed) this.sock.write(b);
  }
  sendHandshake(h: Handshake): void { this.sendRaw(encodeHandshake(h)); }
  send(m: PeerMessage): void { this.sentMessages++; this.sendRaw(encodeMessage(m)); }

  /** The peer's handshake, or null if it closed / failed / stayed silent for `ms`. */
  async waitHandshake(ms: number): Promise<Handshake | null> {
    await this.until(() => this.handshake !== undefined, ms);
    return this.handshake ?? null;
  }

  /** First logged message at index ≥ `from` matching `pred`, waiting up to `ms`. */
  async waitFor(pred: (m: PeerMessage) => boolean, ms: number, from = 0): Promise<{ m: PeerMessage; index: number } | null> {
    const find = () => { for (let i = from; i < this.log.length; i++) if (pred(this.log[i].m)) return i; return -1; };
    await this.until(() => find() >= 0, ms);
    const i = find();
    return i >= 0 ? { m: this.log[i].m, index: i } : null;
  }

  /** Wait until the peer has been silent for `quietMs` (or closed), at most `maxMs`. */
  async settle(quietMs: number, maxMs: number): Promise<void> {
    const end = Date.now() + maxMs;
    let seen = this.log.length;
    while (Date.now() < end && !this.ended) {
      await this.until(() => this.log.length !== seen, Math.min(quietMs, end - Date.now()));
      if (this.log.length === seen) return;
      seen = this.log.length;
    }
  }

  /** True once the peer closed or broke framing within `ms`. */
  async waitClosed(ms: number): Promise<boolean> {
    await this.until(() => this.closed !== undefined, ms);
    return this.closed !== undefined;
  }

  /** Closed, or decoding stopped on a framing fault. */
  get ended(): boolean { return this.closed !== undefined || this.protocolError !== undefined; }

  close(reason = 'closed by the harness'): void {
    clearTimeout(this.life);
    if (!this.closed) this.closed = { reason: `local: ${reason}`, at: this.elapsed };
    this.sock.destroy();
    this.wake();
  }

  private markClosed(reason: string): void {
    clearTimeout(this.life);
    if (!this.closed) this.closed = { reason, at: this.elapsed };
    this.wake();
  }

  private wake(): void { for (const w of this.wakers.splice(0)) w(); }

  /** Resolve when `cond` holds, the session ends, or `ms` pass. */
  private until(cond: () => boolean, ms: number): Promise<void> {
    if (cond() || this.closed || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const check = () => { if (cond() || this.closed) done(); else this.wakers.push(check); };
      function done() { clearTimeout(timer); resolve(); }
      this.wakers.push(check);
    });
  }
}

/** Blocks alias the socket's chunk (WireDecoder's zero-copy rule): keep our own copy. */
function copyMessage(m: PeerMessage): PeerMessage {
  if (m.type === 'piece') return { ...m, block: new Uint8Array(m.block) };
  return m;
}

/** Short name of a message for evidence lines. */
export function describeMessage(m: PeerMessage): string {
  switch (m.type) {
    case 'have': case 'suggest': case 'allowed_fast': return `${m.type}(${m.index})`;
    case 'bitfield': return `bitfield(${m.bits.length} bytes)`;
    case 'request': case 'cancel': case 'reject': return `${m.type}(${m.index},${m.begin},${m.length})`;
    case 'piece': return `piece(${m.index},${m.begin},${m.block.length} bytes)`;
    case 'extended': return `extended(id ${m.id}, ${m.payload.length} bytes)`;
    case 'port': return `port(${m.port})`;
    case 'unknown': return `unknown id ${m.id} (${m.payload.length} bytes)`;
    default: return m.type;
  }
}
