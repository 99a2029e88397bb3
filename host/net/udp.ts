import dgram from 'node:dgram';
import type { Address, UdpNet, UdpSocket } from '../../core/seam/net.js';

/**
 * Real datagram sockets for the core's UdpNet (UDP trackers, DHT).
 * - The family follows the bind address: an IPv6 literal binds udp6, anything else udp4.
 *   With no host, an IPv4 socket binds all interfaces and an IPv6 companion socket is
 *   opened on first send to an IPv6 address (same port when free), so one UdpSocket can
 *   talk to both families (BEP15-V6-2: the packet's family decides the reply format).
 * - Errors never crash the process: socket 'error' events and failed sends are reported to
 *   `onError` (default: ignored), as UDP loss would be.
 * - Senders' IPv4-mapped IPv6 addresses are reported as plain IPv4.
 */
export interface NodeUdpOptions {
  /** Socket receive/send buffer size (bytes); raising it avoids kernel drops under load. */
  bufferBytes?: number;
  onError?(err: Error): void;
}

const unmap = (h: string) => (h.startsWith('::ffff:') && h.includes('.') ? h.slice(7) : h);
const isV6 = (h: string) => h.includes(':');

export function createNodeUdpNet(opts: NodeUdpOptions = {}): UdpNet {
  const onError = opts.onError ?? (() => {});
  return {
    bind({ port, host }, onDatagram, ready) {
      const deliver = (msg: Buffer, rinfo: dgram.RemoteInfo) => {
        try {
          onDatagram(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), { host: unmap(rinfo.address), port: rinfo.port });
        } catch (e) {
          onError(e as Error); // a throwing handler must not kill the socket
        }
      };
      const open = (type: 'udp4' | 'udp6', p: number, h: string | undefined, cb: (err: Error | null, s?: dgram.Socket) => void) => {
        const s = dgram.createSocket({ type, ipv6Only: type === 'udp6' });
        let bound = false;
        s.on('message', deliver);
        s.on('error', (err) => { if (!bound) { s.close(); cb(err); } else onError(err); });
        s.bind({ port: p, address: h }, () => {
          bound = true;
          if (opts.bufferBytes) {
            try { s.setRecvBufferSize(opts.bufferBytes); s.setSendBufferSize(opts.bufferBytes); } catch (e) { onError(e as Error); }
          }
          cb(null, s);
        });
      };
      const primaryType = host && isV6(host) ? 'udp6' : 'udp4';
      open(primaryType, port, host, (err, primary) => {
        if (err || !primary) { ready(err ?? new Error('bind failed')); return; }
        const boundPort = primary.address().port;
        let companion: dgram.Socket | undefined;
        let companionState: 'none' | 'opening' | 'open' | 'failed' = host ? 'failed' : 'none';
        const waiting: Array<[Uint8Array, Address]> = [];
        let closed = false;
        const sendOn = (s: dgram.Socket, data: Uint8Array, to: Address) => {
          try {
            s.send(data, to.port, to.host, (e) => { if (e) onError(e); });
          } catch (e) {
            onError(e as Error); // bad address or port: drop like a lost packet
          }
        };
        const openCompanion = () => {
          companionState = 'opening';
          const done = (e: Error | null, s?: dgram.Socket) => {
            if (e || !s) {
              // Same port taken by someone else: any port will do for a client.
              if (e && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') { open('udp6', 0, undefined, done); return; }
              companionState = 'failed'; onError(e ?? new Error('udp6 bind failed')); waiting.length = 0; return;
            }
            if (closed) { s.close(); return; }
            companion = s; companionState = 'open';
            for (const [d, to] of waiting.splice(0)) sendOn(s, d, to);
          };
          open('udp6', boundPort, undefined, done);
        };
        const sock: UdpSocket = {
          port: boundPort,
          send(data, to) {
            if (closed) return;
            const v6 = isV6(to.host);
            if (!v6 || primaryType === 'udp6') { sendOn(primary, data, to); return; }
            if (companionState === 'open' && companion) sendOn(companion, data, to);
            else if (companionState === 'none') { waiting.push([data, to]); openCompanion(); }
            else if (companionState === 'opening') waiting.push([data, to]);
            // 'failed': no IPv6 here; drop as the network would.
          },
          close() {
            if (closed) return;
            closed = true;
            try { primary.close(); } catch { /* already closed */ }
            try { companion?.close(); } catch { /* already closed */ }
          },
        };
        ready(null, sock);
      });
    },
  };
}
