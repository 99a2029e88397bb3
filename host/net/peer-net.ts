import * as net from 'node:net';
import type { Address, CloseInfo, Listener, PeerLink, PeerLinkEvents, PeerNet } from '../../core/seam/net.js';
import type { Handshake, PeerMessage } from '../../core/wire/types.js';
import { WireDecoder } from '../../core/wire/decoder.js';
import { encodeHandshake } from '../../core/wire/handshake.js';
import { encodeMessage, encodePieceHeader } from '../../core/wire/encode.js';
import { limitsForPieceCount } from '../../core/wire/limits.js';
import { wireSize } from '../../core/wire/size.js';
import { ProtocolError } from '../../core/util/errors.js';

/**
 * The real host's PeerNet: peer-wire connections over node:net TCP, framed with core/wire.
 *
 * Bytes never reach the core: each link decodes incoming chunks with a WireDecoder (which
 * enforces the framing caps, BEP3-MSG-2) and encodes outgoing PeerMessages. Piece blocks are
 * written as a 13-byte header plus the block itself (two writes under one cork, so the kernel
 * gets one writev and the block is never copied into a bigger buffer).
 */
export interface NodePeerNetOptions {
  /** Give up on a dial after this long (onClose reason 'connect timeout'). Default 10 s. */
  connectTimeoutMs?: number;
  /**
   * onDrain fires when queuedBytes() falls below this after having reached it. A caller that
   * pauses uploads on queuedBytes() must pause at a threshold ≥ lowWater. Default 128 KiB.
   */
  lowWater?: number;
  /** Interface to listen on. Default: all (IPv4 and IPv6 where available). */
  listenHost?: string;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_LOW_WATER = 128 * 1024;

export function createNodePeerNet(opts: NodePeerNetOptions = {}): PeerNet {
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const lowWater = opts.lowWater ?? DEFAULT_LOW_WATER;
  return {
    connect(to: Address): PeerLink {
      const remote = { host: to.host, port: to.port };
      let sock: net.Socket;
      try {
        // Outgoing connections leave from the listen address too, so peers see one identity
        // (--bind); only when it is a concrete address of the same family as the target.
        const local = opts.listenHost && opts.listenHost !== '0.0.0.0' && opts.listenHost !== '::' && net.isIP(opts.listenHost) === net.isIP(to.host) ? opts.listenHost : undefined;
        sock = net.connect({ host: to.host, port: to.port, noDelay: true, localAddress: local });
      } catch (e) {
        // node:net throws synchronously on a bad port; the seam promises failures as onClose.
        const link = new NodePeerLink(new net.Socket(), remote, true, lowWater);
        link.abort(`connect failed: ${(e as Error).message}`, e as Error);
        return link;
      }
      const link = new NodePeerLink(sock, remote, true, lowWater);
      link.armConnectTimeout(connectTimeoutMs);
      return link;
    },
    listen(port, onLink, ready) {
      const server = net.createServer({ noDelay: true });
      let listening = false;
      server.on('connection', (sock) => {
        const remote = { host: normalizeHost(sock.remoteAddress ?? ''), port: sock.remotePort ?? 0 };
        onLink(new NodePeerLink(sock, remote, false, lowWater));
      });
      // Before listen succeeds an error is the answer to `ready`; after, accept errors
      // (EMFILE…) must not crash the process: the listener keeps going.
      server.on('error', (err) => { if (!listening) ready(err); });
      server.listen({ port, host: opts.listenHost }, () => {
        listening = true;
        const addr = server.address() as net.AddressInfo;
        ready(null, { port: addr.port, close: () => { server.close(); } } satisfies Listener);
      });
    },
  };
}

/** '::ffff:1.2.3.4' (an IPv4 peer on a dual-stack listener) → '1.2.3.4', so peers compare equal. */
function normalizeHost(h: string): string {
  return h.startsWith('::ffff:') && h.includes('.') ? h.slice(7) : h;
}

type Pending =
  | { kind: 'handshake'; h: Handshake }
  | { kind: 'message'; m: PeerMessage }
  | { kind: 'drain' };

/** One TCP peer connection. Exported for host tests and diagnostics (bufferedBytes). */
export class NodePeerLink implements PeerLink {
  readonly remote: Address;
  readonly outgoing: boolean;
  private readonly sock: net.Socket;
  private readonly decoder: WireDecoder;
  private readonly lowWater: number;

  private events: PeerLinkEvents | null = null;
  /** Events that arrived before attach(), delivered in order by attach(). */
  private pending: Pending[] = [];
  private pendingClose: CloseInfo | null = null;
  private closed = false;
  /** close() was called from a handler while attach() was still flushing queued events. */
  private flushStopped = false;

  private handshakeSent = false;
  /** Messages send() got before sendHandshake(): held so the handshake goes first (BEP3-HS-1). */
  private held: PeerMessage[] = [];
  private heldBytes = 0;
  private corked = false;
  /** queuedBytes() reached lowWater: the next fall below it fires onDrain. */
  private drainArmed = false;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(sock: net.Socket, remote: Address, outgoing: boolean, lowWater: number) {
    this.sock = sock;
    this.remote = remote;
    this.outgoing = outgoing;
    this.lowWater = lowWater;
    this.decoder = new WireDecoder({
      handshake: (h) => this.emit({ kind: 'handshake', h }),
      message: (m) => this.emit({ kind: 'message', m }),
    });
    sock.setNoDelay(true);
    sock.on('connect', () => this.clearConnectTimer());
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    sock.on('drain', () => this.checkDrain());
    // Always handle 'error': an unhandled one would crash the process. 'close' follows it.
    sock.on('error', (err: NodeJS.ErrnoException) => this.finish({ reason: describeSocketError(err, this.sock.connecting), error: err, local: false }));
    sock.on('close', () => this.finish({ reason: 'closed by peer', local: false }));
  }

  armConnectTimeout(ms: number): void {
    if (!this.sock.connecting) return;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      this.finish({ reason: 'connect timeout', local: false });
    }, ms);
  }

  attach(events: PeerLinkEvents): void {
    if (this.events) throw new Error('PeerLink.attach called twice');
    this.events = events;
    const queued = this.pending;
    this.pending = [];
    for (const p of queued) {
      if (this.flushStopped || (this.closed && !this.pendingClose)) break; // a handler closed the link
      try {
        this.deliver(p);
      } catch (e) {
        // Same policy as onData: a throwing handler ends this link, not the caller.
        if (this.pendingClose) this.flushStopped = true;
        this.finish(handlerFailure(e));
      }
    }
    if (this.pendingClose) {
      const info = this.pendingClose;
      this.pendingClose = null;
      events.onClose(info);
    }
  }

  handOver(events: PeerLinkEvents): void {
    if (this.events === null) { this.attach(events); return; }
    this.events = events; // deliver() reads it per event: the next one goes to the new owner
  }

  sendHandshake(h: Handshake): void {
    if (this.closed || this.handshakeSent) return;
    const bytes = encodeHandshake(h);
    this.handshakeSent = true;
    this.corkForTick();
    this.sock.write(bytes); // before 'connect', node:net buffers writes until connected
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const m of held) this.send(m);
  }

  /**
   * Encode and queue `m`. A piece's block is written by reference: the caller must not modify
   * it afterwards (storage reads hand over fresh buffers, so this holds in bt-lab).
   */
  send(m: PeerMessage): void {
    if (this.closed) return;
    if (!this.handshakeSent) {
      this.held.push(m);
      this.heldBytes += wireSize(m);
      return;
    }
    this.corkForTick();
    if (m.type === 'piece') {
      this.sock.write(encodePieceHeader(m.index, m.begin, m.block.length));
      this.sock.write(m.block, () => this.checkDrain());
    } else {
      this.sock.write(encodeMessage(m), () => this.checkDrain());
    }
    if (this.queuedBytes() >= this.lowWater) this.drainArmed = true;
  }

  queuedBytes(): number {
    return this.sock.writableLength + this.heldBytes;
  }

  setLimits(l: { pieceCount: number }): void {
    this.decoder.setLimits(limitsForPieceCount(l.pieceCount));
  }

  /** The link has ended (onClose fired, or is queued for attach). Diagnostics, tests. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes the decoder holds for a partly received message (diagnostics, tests). */
  bufferedBytes(): number {
    return this.decoder.allocatedBytes;
  }

  /** End the link because of a failure on our side (not the peer's doing). */
  abort(reason: string, error?: Error): void {
    this.finish({ reason, error, local: false });
  }

  close(reason: string): void {
    // Closed already but onClose still queued for attach(): stop delivering what precedes it.
    if (this.pendingClose) this.flushStopped = true;
    this.finish({ reason, local: true });
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    try {
      // Aliasing rule (core/wire/decoder.ts): node:net hands each read a fresh Buffer that
      // nobody else reuses, so piece blocks may be views of it.
      this.decoder.push(chunk);
    } catch (e) {
      this.finish(handlerFailure(e));
    }
  }

  private emit(p: Pending): void {
    if (this.closed) return;
    if (!this.events) { this.pending.push(p); return; }
    this.deliver(p);
  }

  private deliver(p: Pending): void {
    const ev = this.events!;
    if (p.kind === 'handshake') ev.onHandshake(p.h);
    else if (p.kind === 'message') ev.onMessage(p.m);
    else ev.onDrain();
  }

  private checkDrain(): void {
    if (this.closed || !this.drainArmed || this.queuedBytes() >= this.lowWater) return;
    this.drainArmed = false;
    this.emit({ kind: 'drain' });
  }

  /** Many small sends in one tick (haves, requests) leave in one writev. */
  private corkForTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.sock.cork();
    process.nextTick(() => {
      this.corked = false;
      this.sock.uncork();
    });
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) { clearTimeout(this.connectTimer); this.connectTimer = null; }
  }

  /** The one way a link ends: onClose exactly once, socket destroyed, decoder halted. */
  private finish(info: CloseInfo): void {
    if (this.closed) return;
    this.closed = true;
    this.clearConnectTimer();
    this.decoder.halt();
    this.held = [];
    this.heldBytes = 0;
    this.sock.destroy();
    if (this.events) this.events.onClose(info);
    else this.pendingClose = info;
  }
}

/**
 * A framing fault is the peer's (ProtocolError); anything else is a bug in a handler. Either
 * way the link is unusable, and a throw out of a socket callback would crash the process.
 */
function handlerFailure(e: unknown): CloseInfo {
  const err = e instanceof Error ? e : new Error(String(e));
  const reason = err instanceof ProtocolError ? err.message : `internal error: ${err.message}`;
  return { reason, error: err, local: true };
}

function describeSocketError(err: NodeJS.ErrnoException, connecting: boolean): string {
  switch (err.code) {
    case 'ECONNREFUSED': return 'connect refused';
    case 'ECONNRESET': return 'connection reset';
    case 'ETIMEDOUT': return 'timeout';
    case 'EPIPE': return 'connection reset';
    default: return `${connecting ? 'connect failed' : 'socket error'}: ${err.code ?? err.message}`;
  }
}
