#!/usr/bin/python3
"""A libtorrent 2.0 DHT node on loopback, driven over stdin/stdout by
test/interop/dht-libtorrent.test.ts (inside a lab namespace; stdin is a FIFO).

  /usr/bin/python3 lt_dht_peer.py <listen-ip> <our-node-ip> <our-node-port>

Prints one JSON object per line: {"ready": ..., "port": p, "id": hex}, then every incoming
announce_peer ({"announce": ...}) and get_peers reply ({"peers": [...]}). Commands on stdin:
"get_peers <hex>" runs session.dht_get_peers, "quit" exits. Settings follow
/work/shared/testbed/dht (explicit listen IP, add_dht_node, no /24 restriction).
"""
import json, select, sys, time
import libtorrent as lt

ip, peer_ip, peer_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = {
    "listen_interfaces": f"{ip}:0", "outgoing_interfaces": ip,
    "enable_dht": True, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
    "dht_bootstrap_nodes": "", "dht_restrict_routing_ips": False, "dht_restrict_search_ips": False,
    "dht_block_ratelimit": 10000, "dht_upload_rate_limit": 1000000,
    "alert_mask": lt.alert_category.status | lt.alert_category.dht | lt.alert_category.dht_operation | lt.alert_category.error,
}
ses = lt.session(s)

def out(o):
    sys.stdout.write(json.dumps(o) + "\n"); sys.stdout.flush()

def node_id():
    st = ses.dht_state()
    nid = st.get(b"node-id") or st.get("node-id")
    if isinstance(nid, list): nid = nid[0]
    return nid[:20].hex() if nid else None

port = None
deadline = time.time() + 10
while port is None and time.time() < deadline:
    ses.wait_for_alert(200)
    for a in ses.pop_alerts():
        if isinstance(a, lt.listen_succeeded_alert) and "uTP" in a.message():
            port = a.port
if port is None:
    out({"error": "libtorrent did not start listening"}); sys.exit(1)
time.sleep(0.2)
ses.add_dht_node((peer_ip, peer_port))
out({"ready": True, "port": port, "id": node_id()})

end = time.time() + 60  # hard bound: the test never needs more
while time.time() < end:
    r, _, _ = select.select([sys.stdin], [], [], 0.05)
    if r:
        line = sys.stdin.readline().strip()
        if not line or line == "quit":
            break
        cmd, arg = (line.split(" ", 1) + [""])[:2]
        if cmd == "get_peers":
            ses.dht_get_peers(lt.sha1_hash(bytes.fromhex(arg)))
        elif cmd == "id":
            out({"id": node_id()})
    for a in ses.pop_alerts():
        if isinstance(a, lt.dht_announce_alert):
            out({"announce": {"ip": str(a.ip), "port": a.port, "info_hash": str(a.info_hash)}})
        elif isinstance(a, lt.dht_get_peers_reply_alert):
            out({"peers": [f"{h}:{p}" for h, p in a.peers()], "info_hash": str(a.info_hash)})
        elif isinstance(a, lt.dht_get_peers_alert):
            out({"get_peers_in": str(a.info_hash)})
