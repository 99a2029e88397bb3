#!/usr/bin/python3
"""A libtorrent (python3-libtorrent 2.0.8) peer for bt-lab's interop tests: seeds or downloads
one torrent (a .torrent file or a magnet link) and reports what happens as JSON lines.

usage: lt_peer.py (--torrent T | --magnet URI) --save-dir DIR [--listen 127.0.0.2:6881]
                  [--peer IP:PORT ...] [--connect-file F] [--tracker URL ... | --no-trackers]
                  [--seed] [--seconds 120] [--utp] [--dht] [--lsd] [--set name=value ...]

Events on stdout, one JSON object per line, always with "event" and "t" (seconds since start):
  listening {ip, port}          the TCP listen socket is up (port 0 asks for an ephemeral one)
  ready {infohash, seeding}     torrent added and checked (seeding=true when the data was there)
  progress {progress, peers, down, up, state}   about every 0.5 s
  peer {ip, port, client}       first payload exchanged with a peer (from per-block alerts, so a
                                peer that delivers everything between two samples is not missed)
  finished {seconds}            download complete (all wanted pieces passed their hash check)
  error {message}               a tracker, torrent, file or listen error alert
  alert {kind, message}         any other alert, with --verbose
  exit {reason, complete}       last line: finished | signal | time limit
Exit status: 0 when the torrent is complete at exit (or on SIGTERM/SIGINT), 1 on time limit
without completion, 2 on bad arguments.

Without --seed a download exits once finished; with --seed it keeps seeding until signalled
or --seconds. Isolation on purpose: no DHT, LSD, UPnP or NAT-PMP unless asked, and TCP only
(libtorrent prefers uTP, which crawls on loopback with default UDP socket buffers) unless
--utp. --connect-file: a file of ip:port lines; each newly appended line is dialled, for peers
that only accept incoming connections (Transmission never dials 127.0.0.0/8).
"""
import argparse, json, os, signal, sys, time
import libtorrent as lt

ap = argparse.ArgumentParser()
src = ap.add_mutually_exclusive_group(required=True)
src.add_argument("--dht-only", action="store_true", help="no torrent: a pure DHT node (implies --dht)")
src.add_argument("--torrent")
src.add_argument("--magnet")
ap.add_argument("--save-dir", required=True)
ap.add_argument("--listen", default="127.0.0.2:0", help="explicit IP:PORT (not 0.0.0.0)")
ap.add_argument("--peer", action="append", default=[], help="IP:PORT to connect_peer()")
ap.add_argument("--connect-file")
ap.add_argument("--tracker", action="append", default=[], help="replace the torrent's trackers")
ap.add_argument("--no-trackers", action="store_true")
ap.add_argument("--seed", action="store_true", help="keep running after completion")
ap.add_argument("--seconds", type=float, default=120, help="time limit")
ap.add_argument("--utp", action="store_true")
ap.add_argument("--dht", action="store_true")
ap.add_argument("--dht-node", action="append", default=[], help="IP:PORT introduced with add_dht_node() (loopback DHT)")
ap.add_argument("--lsd", action="store_true")
ap.add_argument("--set", action="append", default=[], help="any settings_pack name=value")
ap.add_argument("--verbose", action="store_true", help="every alert (peer logs too) as an 'alert' event")
ap.add_argument("--no-block-alerts", action="store_true",
                help="report peers from periodic sampling only (benchmarks: no per-block alert cost)")
a = ap.parse_args()

T0 = time.time()


def as_text(v):
    # libtorrent hands some strings over as bytes (e.g. a peer's client name)
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def note_peer(ip, port, client):
    # one "peer" line per endpoint that exchanged payload; a block alert may come first
    # (client unknown: ""), the periodic sample fills in the name if it still sees the peer
    key = (ip, port)
    if key in peers_seen and (client == "" or peers_seen[key] != ""):
        return  # nothing new: seen already, and no name to add
    peers_seen[key] = client
    emit("peer", ip=ip, port=port, client=client)


def emit(event, **kw):
    kw = dict(event=event, t=round(time.time() - T0, 3), **kw)
    sys.stdout.write(json.dumps(kw, default=as_text) + "\n")
    sys.stdout.flush()


def parse_value(v):
    if v.lower() in ("true", "false"):
        return v.lower() == "true"
    try:
        return int(v, 0)
    except ValueError:
        return v


def split_hostport(s):
    host, port = s.rsplit(":", 1)
    return host.strip("[]"), int(port)


stop_reason = None


def on_signal(*_):
    global stop_reason
    stop_reason = "signal"


signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)

settings = {
    "listen_interfaces": a.listen,
    # never fall back to another port: the harness told peers which one to dial
    "listen_system_port_fallback": False,
    "enable_dht": a.dht,
    "dht_bootstrap_nodes": "",
    "enable_lsd": a.lsd,
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_ip_notifier": False,
    "enable_outgoing_utp": a.utp,
    "enable_incoming_utp": a.utp,
    "enable_outgoing_tcp": True,
    "enable_incoming_tcp": True,
    # every loopback peer shares 127.0.0.1 with the tracker's view of it
    "allow_multiple_connections_per_ip": True,
    # tests restart peers quickly; do not wait a minute before re-dialling
    "min_reconnect_time": 1,
    "upload_rate_limit": 0,
    "download_rate_limit": 0,
    "alert_mask": lt.alert.category_t.error_notification
    | lt.alert.category_t.status_notification
    | lt.alert.category_t.tracker_notification
    | lt.alert.category_t.storage_notification,
}
if not a.no_block_alerts:
    settings["alert_mask"] |= (lt.alert.category_t.block_progress_notification
                               | lt.alert.category_t.upload_notification)
if a.verbose:
    settings["alert_mask"] = lt.alert.category_t.all_categories
if a.dht_only:
    a.dht = True
    settings["enable_dht"] = True
if a.dht:
    # a DHT on 127.0.0.x: nodes share a /24, and tests query in bursts
    settings.update(dht_restrict_routing_ips=False, dht_restrict_search_ips=False, dht_block_ratelimit=100000)
for item in a.set:
    k, v = item.split("=", 1)
    settings[k] = parse_value(v)

ses = lt.session(settings)
for n in a.dht_node:
    ses.add_dht_node(split_hostport(n))

h = None
if a.dht_only:
    pass
elif a.torrent:
    params = lt.add_torrent_params()
    if a.no_trackers:
        # the torrent's own announce URLs live inside torrent_info and would be announced to
        # even with params.trackers empty; drop them before parsing (the info hash is unchanged)
        meta = lt.bdecode(open(a.torrent, "rb").read())
        meta.pop(b"announce", None)
        meta.pop(b"announce-list", None)
        params.ti = lt.torrent_info(meta)
    else:
        params.ti = lt.torrent_info(a.torrent)
else:
    params = lt.parse_magnet_uri(a.magnet)
if not a.dht_only:
    params.save_path = a.save_dir
    params.flags &= ~lt.torrent_flags.auto_managed
    params.flags &= ~lt.torrent_flags.paused
    if a.no_trackers:
        params.trackers = []
    elif a.tracker:
        params.trackers = a.tracker
    h = ses.add_torrent(params)
    if a.no_trackers:
        h.replace_trackers([])
last_dht_announce = 0.0

listening = False
ready = False
was_complete_at_start = None
finished = False
peers_dialled = False
n_connect_lines = 0
peers_seen = {}  # (ip, port) -> client name ("" until a sample names it)
last_progress = 0.0


def dial(hostport):
    try:
        h.connect_peer(split_hostport(hostport))
    except Exception as e:  # a bad line must not kill a seeder mid-test
        emit("error", message="connect_peer %s: %s" % (hostport, e))


while stop_reason is None:
    if time.time() - T0 >= a.seconds:
        stop_reason = "time limit"
        break
    ses.wait_for_alert(100)
    for al in ses.pop_alerts():
        if isinstance(al, lt.listen_succeeded_alert):
            if al.socket_type == lt.socket_type_t.tcp and not listening:
                listening = True
                emit("listening", ip=str(al.address), port=al.port)
        elif isinstance(al, (lt.listen_failed_alert, lt.tracker_error_alert, lt.torrent_error_alert,
                             lt.file_error_alert, lt.metadata_failed_alert)):
            emit("error", kind=type(al).__name__, message=al.message())
        elif isinstance(al, lt.tracker_reply_alert):
            emit("tracker", message=al.message())
        elif isinstance(al, (lt.block_finished_alert, lt.block_uploaded_alert)):
            note_peer(al.ip[0], al.ip[1], "")
        elif a.verbose:
            emit("alert", kind=type(al).__name__, message=al.message())
    if h is None:
        # a pure DHT node: report the routing table now and then
        if time.time() - last_progress >= 0.5:
            last_progress = time.time()
            emit("dht", nodes=ses.status().dht_nodes)
        continue
    if a.dht and time.time() - T0 < 30 and time.time() - last_dht_announce >= 2:
        # the first announce may go out before add_dht_node() filled the routing table;
        # repeat it for a while so the swarm sees us within seconds, not 15 minutes
        last_dht_announce = time.time()
        h.force_dht_announce()
    s = h.status()
    if not ready and s.has_metadata and s.state not in (
            lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data):
        ready = True
        was_complete_at_start = s.is_seeding
        emit("ready", infohash=str(s.info_hashes.v1), seeding=s.is_seeding)
    if listening and not peers_dialled:
        peers_dialled = True
        for p in a.peer:
            dial(p)
    if a.connect_file and os.path.exists(a.connect_file):
        lines = open(a.connect_file).read().split()
        for line in lines[n_connect_lines:]:
            dial(line)
        n_connect_lines = max(n_connect_lines, len(lines))
    for pi in h.get_peer_info():
        if pi.total_download > 0 or pi.total_upload > 0:
            note_peer(pi.ip[0], pi.ip[1], as_text(pi.client))
    if time.time() - last_progress >= 0.5:
        last_progress = time.time()
        emit("progress", progress=round(s.progress, 4), peers=s.num_peers,
             down=s.download_payload_rate, up=s.upload_payload_rate, state=str(s.state),
             downloaded=s.total_payload_download, uploaded=s.all_time_upload)
    if ready and not finished and s.is_seeding:
        finished = True
        if not was_complete_at_start:
            emit("finished", seconds=round(time.time() - T0, 3))
        if not a.seed:
            stop_reason = "finished"

complete = h.status().is_seeding if h is not None else True
# pausing first lets libtorrent flush and close files before the harness hashes them
ses.pause()
emit("exit", reason=stop_reason, complete=complete)
sys.exit(0 if complete or stop_reason == "signal" else 1)
