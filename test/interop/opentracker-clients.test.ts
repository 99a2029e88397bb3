/**
 * Our tracker clients against opentracker (Debian build), over UDP (BEP 15) and HTTP (BEP 3/23),
 * both inside the lab's namespace (only lo): opentracker via startOpentracker, our clients in
 * scenarios/opentracker-clients.ts. opentracker's absence is a failure, not a skip.
 * Debian's build only tracks allow-listed hashes; a non-listed hash gets "not authorized" over
 * HTTP and an 8-byte announce reply over UDP (too short for BEP15-ANN-4).
 */
import test from 'ava';
import { openLab, requireTool, startOpentracker, startScenario, scenarioResult } from './harness/index.js';

const OK_HASH = Buffer.from(new Uint8Array(20).map((_, i) => (i * 37 + 11) & 255)).toString('hex');

test('interop: opentracker over UDP and HTTP — our client announces, a second announce sees the first peer', async (t) => {
  t.timeout(60_000);
  requireTool('opentracker', 'bt-lab');
  const lab = openLab(t);
  const ot = await startOpentracker(lab, { infohashes: [OK_HASH], ip: '127.0.0.1', port: 6969, timeoutSec: 60 });
  const sc = startScenario(lab, 'opentracker-clients', [ot.ip, String(ot.port), OK_HASH], 45);
  const r = await scenarioResult(sc, 50_000);
  const logs = () => `${r.summary}\n${ot.proc.tail()}`;
  const expectOk = (id: string, what: string) => {
    const c = r.checks.get(id);
    t.truthy(c, `${id}: the scenario reported no such check\n${logs()}`);
    t.true(c?.ok, `${id}: ${what}: ${JSON.stringify(c?.detail)}`);
    return (c?.detail ?? {}) as Record<string, unknown>;
  };

  expectOk('BEP15-ANN-3:interval', 'interval present');
  expectOk('BEP3-TRK-6:http-sees-udp-peer', `HTTP sees the UDP peer (${ot.ip}:31001)`);
  expectOk('BEP3-TRK-6:interval', 'HTTP interval present');
  expectOk('BEP15-ANN-3:udp-sees-both', 'UDP sees both earlier peers');
  expectOk('BEP15-ANN-3:incomplete', 'leechers >= 2');
  expectOk('BEP48:http-scrape-incomplete', 'HTTP scrape incomplete >= 3');
  expectOk('BEP15-SCR-2:udp-scrape-incomplete', 'UDP scrape incomplete >= 3');

  // A hash not on the allow-list: HTTP failure reason (BEP3-TRK-5) ...
  const httpErr = expectOk('BEP3-TRK-5:failure-reason', 'a TrackerError naming "not authorized"');
  t.true(httpErr.isTrackerError, 'BEP3-TRK-5: TrackerError');
  t.regex(String(httpErr.message), /not authorized/, 'BEP3-TRK-5: failure reason');
  // ... and over UDP an 8-byte announce reply, which BEP15-ANN-4 says to ignore: we time out naming it.
  const udpErr = expectOk('BEP15-ANN-4:short-reply', 'a TrackerError naming the short reply');
  t.true(udpErr.isTrackerError, 'BEP15-ANN-4: TrackerError');
  t.regex(String(udpErr.message), /announce reply too short: 8 < 20/, 'BEP15-ANN-4: short reply');

  // Leave nothing behind: the three peers announced `stopped`.
  expectOk('BEP15-ANN-1:stopped', 'stopped announces');

  for (const c of r.checks.values()) t.true(c.ok, `${c.check}: ${JSON.stringify(c.detail)}`);
  t.is(r.status?.code, 0, `scenario exit\n${logs()}`);
});
