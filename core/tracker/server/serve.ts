import type { HttpNet, Listener, UdpNet, UdpSocket } from '../../seam/net.js';
import type { TrackerServer } from './tracker-server.js';

/**
 * Put a TrackerServer behind the seam's HttpNet and/or UdpNet. Pure wiring, no Node
 * imports: the CLI passes the real host's nets, the simulator its virtual ones.
 */
export interface ServeTrackerOptions {
  http?: { net: HttpNet; port: number };
  udp?: { net: UdpNet; port: number; host?: string };
}

export interface RunningTracker {
  httpPort?: number;
  udpPort?: number;
  close(): void;
}

export function serveTracker(server: TrackerServer, o: ServeTrackerOptions, ready: (err: Error | null, t?: RunningTracker) => void): void {
  let listener: Listener | undefined;
  let sock: UdpSocket | undefined;
  const close = () => { listener?.close(); sock?.close(); listener = undefined; sock = undefined; };
  const fail = (e: Error) => { close(); ready(e); };

  const startUdp = () => {
    if (!o.udp) { ready(null, { httpPort: listener?.port, close }); return; }
    o.udp.net.bind({ port: o.udp.port, host: o.udp.host }, (data, from) => {
      const reply = server.handleUdp(data, from);
      if (reply) sock?.send(reply, from);
    }, (err, s) => {
      if (err || !s) { fail(err ?? new Error('UDP bind failed')); return; }
      sock = s;
      ready(null, { httpPort: listener?.port, udpPort: s.port, close });
    });
  };

  if (!o.http) { startUdp(); return; }
  o.http.net.serve(o.http.port, (req, respond) => respond(server.handleHttp(req)), (err, l) => {
    if (err || !l) { fail(err ?? new Error('HTTP listen failed')); return; }
    listener = l;
    startUdp();
  });
}
