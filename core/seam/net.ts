import type { Handshake, PeerMessage } from '../wire/types.js';

/**
 * Networking as the core sees it.
 *
 * Peer connections are MESSAGE-level on purpose: the real host frames them to bytes with
 * core/wire (the pure codec, which enforces length caps and framing rules); the simulator
 * passes the objects and charges their wire size against its bandwidth model. So the same
 * peer logic runs in both worlds, and a 1000-peer simulation never encodes a byte.
 */

export interface Address {
  /** An IPv4 or IPv6 literal, or (trackers only) a host name. */
  host: string;
  port: number;
}

export const addressKey = (a: Address): string =>
  a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;

export interface CloseInfo {
  /** One line for logs: 'connect refused', 'bitfield has spare bits set', 'timeout', … */
  reason: string;
  /** The error object, when the close was caused by one (ProtocolError for framing faults). */
  error?: Error;
  /** True when we closed it ourselves. */
  local: boolean;
}

export interface PeerLinkEvents {
  /** The remote handshake (BEP3-HS-1). Always the first event on a link. */
  onHandshake(h: Handshake): void;
  onMessage(m: PeerMessage): void;
  /** The send queue has drained below the host's low-water mark. */
  onDrain(): void;
  /** Exactly once; no event follows it. */
  onClose(info: CloseInfo): void;
}

/** One peer-wire connection, outgoing or accepted. */
export interface PeerLink {
  readonly remote: Address;
  readonly outgoing: boolean;
  /** Install handlers. Events that arrive before this are queued by the host. */
  attach(events: PeerLinkEvents): void;
  /**
   * Give the link a new owner: later events go to `events` instead of the handlers attach()
   * (or an earlier handOver) installed; on a link nobody attached yet it is attach(). The
   * client uses it to pass an incoming link to the torrent its handshake names, so every
   * later message reaches the torrent directly instead of through a forwarding layer.
   */
  handOver(events: PeerLinkEvents): void;
  /** May be called before the transport connects; the host queues it. */
  sendHandshake(h: Handshake): void;
  send(m: PeerMessage): void;
  /** Bytes accepted by send() but not yet on the wire (backpressure for uploads). */
  queuedBytes(): number;
  /** Idempotent. onClose fires (with local = true) unless it already has. */
  close(reason: string): void;
  /**
   * Optional: tell the transport the torrent's shape once the core knows it (after the
   * handshake), so a byte-level host can tighten its framing caps — e.g. a bitfield longer
   * than ceil(pieceCount/8) is refused before it is buffered (BEP3-MSG-2, BEP3-MSG-7). The
   * simulator carries objects and need not implement it; the core calls it as setLimits?.().
   */
  setLimits?(l: { pieceCount: number }): void;
}

export interface Listener {
  readonly port: number;
  close(): void;
}

export interface PeerNet {
  /** Dial a peer. Connection failure or timeout arrives as onClose. */
  connect(to: Address): PeerLink;
  /** Accept peer connections on `port` (0 = any). `ready` gets the bound listener or an error. */
  listen(port: number, onLink: (link: PeerLink) => void, ready: (err: Error | null, l?: Listener) => void): void;
}

export interface UdpSocket {
  readonly port: number;
  send(data: Uint8Array, to: Address): void;
  close(): void;
}

export interface UdpNet {
  /** Bind a datagram socket. `host` defaults to all interfaces (the simulator: the node's own address). */
  bind(
    opts: { port: number; host?: string },
    onDatagram: (data: Uint8Array, from: Address) => void,
    ready: (err: Error | null, sock?: UdpSocket) => void,
  ): void;
}

export interface HttpResponse {
  status: number;
  body: Uint8Array;
}

export interface HttpRequest {
  /** Path without the query, e.g. '/announce'. */
  path: string;
  /** The raw query string without '?', percent-encoding intact (info_hash is raw bytes). */
  rawQuery: string;
  remote: Address;
}

export interface HttpNet {
  /** GET a URL. The body is capped at `maxBytes`; a larger one is an error. */
  get(url: string, opts: { timeoutMs: number; maxBytes: number }, done: (err: Error | null, res?: HttpResponse) => void): { cancel(): void };
  /** Serve GET requests (tracker server). */
  serve(
    port: number,
    handler: (req: HttpRequest, respond: (res: HttpResponse) => void) => void,
    ready: (err: Error | null, l?: Listener) => void,
  ): void;
}
