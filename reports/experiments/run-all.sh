#!/bin/sh
# Every experiment in turn (a few minutes on 2 cores). Run from the repository root after a build.
set -e
for e in rarest-vs-random optimistic-fairness bittyrant-in-reference propshare-vs-bittyrant; do
  echo "== $e"
  sh "reports/experiments/$e/run.sh" "$@"
done
