import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Address } from '../../core/seam/net.js';

/**
 * A datagram conversation with ONE target (a UDP tracker or a DHT node). Raw bytes both ways,
 * so cases can send malformed packets on purpose. Bounded: at most `maxPackets` sends per
 * channel (a property that would exceed it fails instead of flooding the target), and
 * datagrams from any other address are dropped (we talk only to the address given).
 */
export interface DatagramChannel {
  /** Our side's address as the target sees it (for "did it store OUR address" checks). */
  readonly local: Address;
  send(data: Uint8Array): void;
  /** Next datagram from the target, or null after `timeoutMs` without one. */
  recv(timeoutMs: number): Promise<Uint8Array | null>;
  /** Datagrams sent so far. */
  readonly sent: number;
  close(): void;
}

export class PacketBudgetExceeded extends Error {}

/** Queue + waiters shared by both implementations. */
export class Inbox {
  private queue: Uint8Array[] = [];
  private waiters: Array<(d: Uint8Array | null) => void> = [];
  push(d: Uint8Array): void {
    const w = this.waiters.shift();
    if (w) w(d); else if (this.queue.length < 1024) this.queue.push(d);
  }
  next(timeoutMs: number): Promise<Uint8Array | null> {
    const d = this.queue.shift();
    if (d) return Promise.resolve(d);
    if (timeoutMs <= 0) return Promise.resolve(null);
    return new Promise((resolve) => {
      const w = (x: Uint8Array | null) => { clearTimeout(timer); resolve(x); };
      const timer = setTimeout(() => { const i = this.waiters.indexOf(w); if (i >= 0) this.waiters.splice(i, 1); resolve(null); }, timeoutMs);
      this.waiters.push(w);
    });
  }
  drain(): void { for (const w of this.waiters.splice(0)) w(null); }
}

/** A real UDP socket talking to `to` (node:dgram: this is the harness, not core). */
export function openUdpChannel(to: Address, opts: { maxPackets?: number; bindHost?: string } = {}): Promise<DatagramChannel> {
  const family = isIP(to.host) === 6 ? 'udp6' : 'udp4';
  const sock: Socket = createSocket(family);
  const inbox = new Inbox();
  const max = opts.maxPackets ?? 256;
  let sent = 0;
  let closed = false;
  sock.on('message', (msg, rinfo) => {
    // Only the target's own address and port (a tracker answering from another port is a
    // different conversation we did not start).
    if (rinfo.port !== to.port || normal(rinfo.address) !== normal(to.host)) return;
    inbox.push(new Uint8Array(msg));
  });
  sock.on('error', () => { /* ICMP errors surface as silence: cases see a timeout */ });
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind({ port: 0, address: opts.bindHost ?? (family === 'udp4' ? sameLoopback(to.host) : undefined) }, () => {
      sock.off('error', reject);
      const a = sock.address();
      resolve({
        local: { host: a.address === '0.0.0.0' ? '127.0.0.1' : a.address, port: a.port },
        send(data) {
          if (closed) return;
          if (++sent > max) throw new PacketBudgetExceeded(`packet budget of ${max} exceeded`);
          sock.send(data, to.port, to.host);
        },
        recv: (ms) => inbox.next(ms),
        get sent() { return sent; },
        close() { if (closed) return; closed = true; inbox.drain(); try { sock.close(); } catch { /* closed */ } },
      });
    });
  });
}

/** Bind loopback targets from 127.0.0.1 so our source address is predictable. */
function sameLoopback(host: string): string | undefined {
  return host.startsWith('127.') ? '127.0.0.1' : undefined;
}

function normal(h: string): string {
  return h.startsWith('::ffff:') ? h.slice(7) : h;
}

/**
 * An in-process target: `deliver` is called for each datagram we send and may answer through
 * `reply` (now or later). Used for bt-lab's pure servers (no sockets at all) and for the fault
 * tests' fake trackers.
 */
export function inProcessChannel(
  deliver: (data: Uint8Array, from: Address, reply: (d: Uint8Array) => void) => void,
  opts: { local?: Address; maxPackets?: number } = {},
): DatagramChannel {
  const inbox = new Inbox();
  const local = opts.local ?? { host: '127.0.0.1', port: 40001 };
  const max = opts.maxPackets ?? 256;
  let sent = 0;
  let closed = false;
  return {
    local,
    send(data) {
      if (closed) return;
      if (++sent > max) throw new PacketBudgetExceeded(`packet budget of ${max} exceeded`);
      deliver(data.slice(), local, (d) => { if (!closed) inbox.push(d.slice()); });
    },
    // In-process replies are synchronous: nothing arrives later, so never wait long.
    recv: (ms) => inbox.next(Math.min(ms, 5)),
    get sent() { return sent; },
    close() { closed = true; inbox.drain(); },
  };
}
