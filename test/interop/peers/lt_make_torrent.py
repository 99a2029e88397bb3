#!/usr/bin/python3
"""Make a v1-only .torrent with libtorrent's create_torrent (python3-libtorrent 2.0.8).

usage: lt_make_torrent.py PATH OUT.torrent [--tracker URL ...] [--piece-size BYTES] [--private]
PATH is a file (single-file torrent) or a folder (multi-file torrent named after the folder).
Prints one JSON line: {"infohash": hex v1 hash, "pieces": n, "piece_length": n, "files": n,
"total_size": n}.

Why v1-only: libtorrent 2.0 makes hybrid v1+v2 torrents by default, with BEP 47 pad files
between files; bt-lab's tests want plain BEP 3 layouts where pieces span file boundaries.
"""
import argparse, json, os, sys
import libtorrent as lt

ap = argparse.ArgumentParser()
ap.add_argument("path")
ap.add_argument("out")
ap.add_argument("--tracker", action="append", default=[])
ap.add_argument("--piece-size", type=int, default=0, help="0 = libtorrent's choice")
ap.add_argument("--private", action="store_true")
a = ap.parse_args()

src = os.path.abspath(a.path)
fs = lt.file_storage()
lt.add_files(fs, src)
if fs.num_files() == 0:
    sys.exit("no files under " + src)
ct = lt.create_torrent(fs, a.piece_size, flags=lt.create_torrent.v1_only)
for tier, url in enumerate(a.tracker):
    ct.add_tracker(url, tier)
ct.set_creator("bt-lab interop harness")
if a.private:
    ct.set_priv(True)
# set_piece_hashes reads the files relative to the folder that contains PATH
lt.set_piece_hashes(ct, os.path.dirname(src))
tmp = a.out + ".tmp"
with open(tmp, "wb") as f:
    f.write(lt.bencode(ct.generate()))
os.replace(tmp, a.out)
ti = lt.torrent_info(a.out)
print(json.dumps({
    "infohash": str(ti.info_hashes().v1),
    "pieces": ti.num_pieces(),
    "piece_length": ti.piece_length(),
    "files": ti.files().num_files(),
    "total_size": ti.total_size(),
}), flush=True)
