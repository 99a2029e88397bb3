#!/bin/sh
# Reproduce this experiment (deterministic: same command → same numbers and same PNG bytes).
# Run from the repository root after `npx tsc -p .`.
set -e
node dist/cli/main.js compare --scenario reports/experiments/rarest-vs-random/scenario.json --picker rarest,random --choker reference --runs 20 --seed 1 \
  --no-save-runs --title "Experiment: rarest-vs-random" --out reports/experiments/rarest-vs-random/report "$@"
