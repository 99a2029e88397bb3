#!/bin/sh
# Reproduce this experiment (deterministic: same command → same numbers and same PNG bytes).
# Run from the repository root after `npx tsc -p .`.
set -e
node dist/cli/main.js compare --scenario reports/experiments/propshare-vs-bittyrant/scenario.json --picker rarest --choker reference,propshare --runs 20 --seed 1 \
  --no-save-runs --title "Experiment: propshare-vs-bittyrant" --out reports/experiments/propshare-vs-bittyrant/report "$@"
