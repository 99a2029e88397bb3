/**
 * Our DhtNode on a real UDP socket against libtorrent 2.0's DHT (python3-libtorrent), both
 * inside the lab's namespace (only lo): libtorrent runs core/dht/testing/lt_dht_peer.py, our node
 * runs in scenarios/dht-libtorrent.ts, which reads libtorrent's JSON lines from its log and
 * sends it commands through a FIFO (its stdin). Bounded: the scenario's 50 s and libtorrent's
 * 70 s hard timeouts (the script itself stops after 60 s), every step a few seconds at most.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { openLab, requireTool, startScenario, scenarioResult, PYTHON, PROJECT_ROOT } from './harness/index.js';

const LT_SCRIPT = `${PROJECT_ROOT}core/dht/testing/lt_dht_peer.py`;
const OUR_IP = '127.0.0.2', OUR_PORT = 6881, LT_IP = '127.0.0.3';

test('interop BEP5-Q-2..Q-5: ping, find_node, get_peers, announce_peer with libtorrent, both directions', async (t) => {
  t.timeout(75_000);
  // A missing peer is a failure, never a skip (.ci/setup installs python3-libtorrent).
  requireTool('libtorrent', 'bt-lab');
  const lab = openLab(t);
  const fifo = lab.path('lt-dht.in');
  execFileSync('mkfifo', ['-m', '600', fifo]);
  const ltOut = lab.path('lt-dht.out');

  // Our node binds first, so libtorrent's add_dht_node ping finds it.
  const sc = startScenario(lab, 'dht-libtorrent', [OUR_IP, String(OUR_PORT), LT_IP, ltOut, fifo], 50);
  await sc.waitForEvent('bound', 10_000);
  const lt = lab.spawn('lt-dht', PYTHON, [LT_SCRIPT, LT_IP, OUR_IP, String(OUR_PORT)], { timeoutSec: 70, stdin: fifo });
  t.is(lt.stdoutPath, ltOut, 'the scenario reads libtorrent from this log');

  const r = await scenarioResult(sc, 55_000);
  const logs = () => `${r.summary}\n${lt.tail(40)}`;
  const get = (id: string) => {
    const c = r.checks.get(id);
    if (!c) t.fail(`${id}: the scenario reported no such check\n${logs()}`);
    return c;
  };
  const detail = (id: string) => (get(id)?.detail ?? {}) as Record<string, unknown>;

  const ready = get('libtorrent-ready');
  t.truthy(ready?.ok, `libtorrent did not start: ${JSON.stringify(ready?.detail)}\n${logs()}`);
  if (!ready?.ok) return;

  // 1. libtorrent pinged us (add_dht_node); we answered and then verified it with our ping: it
  //    is in our routing table with the id it reported.
  t.true(get('BEP5-Q-2:in-table')?.ok, `BEP5-Q-2: libtorrent never entered our routing table\n${logs()}`);
  const id = detail('BEP5-Q-2:table-id');
  t.is(id.actual, id.expected, `BEP5-Q-2: routing-table id is the one libtorrent reported`);
  t.regex(String(id.expected), /^[0-9a-f]{40}$/, 'BEP5-Q-2: libtorrent reported its node id');

  // 2. Our ping and find_node to libtorrent.
  t.true(get('BEP5-Q-2:ping')?.ok, `BEP5-Q-2: ping\n${logs()}`);
  t.true(get('BEP5-Q-3:find_node')?.ok, `BEP5-Q-3: find_node lookup got no answer: ${JSON.stringify(detail('BEP5-Q-3:find_node'))}`);

  // 3. Our announce: get_peers for a fresh hash (token from libtorrent), then announce_peer;
  //    libtorrent reports the announce, and a second get_peers returns us as a value.
  t.true(get('BEP5-Q-5:announce-stored')?.ok, `BEP5-Q-5: libtorrent did not accept announce_peer: ${JSON.stringify(detail('BEP5-Q-5:announce-stored'))}`);
  const seen = detail('BEP5-Q-5:announce-seen');
  const hash = (seen.expected as { info_hash?: string } | undefined)?.info_hash ?? '';
  t.regex(hash, /^[0-9a-f]{40}$/, 'BEP5-Q-5: announced hash');
  t.deepEqual(seen.actual, { ip: OUR_IP, port: 7777, info_hash: hash }, 'BEP5-Q-5: libtorrent reports our announce_peer');
  t.deepEqual(detail('BEP5-Q-4:get_peers-values').actual, [{ host: OUR_IP, port: 7777 }], 'BEP5-Q-4: get_peers returns us as a value');

  // 4. The other direction: we hold a peer for a hash; libtorrent's dht_get_peers finds it at us.
  t.deepEqual(detail('BEP5-Q-4:answered-get_peers').actual, ['127.0.0.9:5555'], `BEP5-Q-4: libtorrent's get_peers finds our stored peer\n${logs()}`);
  t.true(get('BEP5-Q-2..Q-4:queries-answered')?.ok, `BEP5-Q-2..Q-4: we answered libtorrent's queries: ${JSON.stringify(detail('BEP5-Q-2..Q-4:queries-answered'))}`);

  // Every check passed, none failed unlisted, and the scenario ended cleanly.
  for (const c of r.checks.values()) t.true(c.ok, `${c.check}: ${JSON.stringify(c.detail)}`);
  t.is(r.status?.code, 0, `scenario exit\n${logs()}`);
});
