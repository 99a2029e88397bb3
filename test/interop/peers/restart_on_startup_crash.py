#!/usr/bin/python3
"""Run a peer command; if it dies of SIGSEGV before writing its first stdout line, run it once more.

usage: restart_on_startup_crash.py CMD [ARG ...]

Why: python3-libtorrent 2.0.8 very occasionally segfaults while creating its session (seen once
in about ten clean-clone CI runs: an empty stdout, then SIGSEGV). That is a crash of the
third-party peer before it has done anything, not an interop result; one restart keeps it from
failing a whole CI run. Anything else — a crash after the first line, a second crash, any other
exit — is passed through unchanged (same exit code, or death by the same signal), so a real
failure still fails the test. The restart is written to stderr, which the harness keeps.
Lines are relayed as they come; SIGTERM and SIGINT are forwarded to the command.
"""
import os, signal, subprocess, sys

cmd = sys.argv[1:]
if not cmd:
    sys.stderr.write(__doc__)
    sys.exit(2)

child = None


def forward(sig, _frame):
    if child is not None and child.poll() is None:
        child.send_signal(sig)


signal.signal(signal.SIGTERM, forward)
signal.signal(signal.SIGINT, forward)

for attempt in (1, 2):
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, bufsize=0)
    printed = False
    for line in iter(child.stdout.readline, b""):
        printed = True
        sys.stdout.buffer.write(line)
        sys.stdout.flush()
    rc = child.wait()
    if rc == -signal.SIGSEGV and not printed and attempt == 1:
        what = next((os.path.basename(c) for c in cmd if c.endswith(".py")), os.path.basename(cmd[0]))
        sys.stderr.write("restart_on_startup_crash: %s died of SIGSEGV before its first line; running it once more\n" % what)
        sys.stderr.flush()
        continue
    break

if rc < 0:
    # die the same way, so the harness sees the same status
    signal.signal(-rc, signal.SIG_DFL)
    os.kill(os.getpid(), -rc)
sys.exit(rc)
