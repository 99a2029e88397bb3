#!/bin/sh
# Reproduce this experiment (deterministic: same command → same numbers and same PNG bytes).
# Run from the repository root after `npx tsc -p .`.
set -e
node dist/cli/main.js compare --scenario reports/experiments/bittyrant-in-reference/scenario.json --picker rarest --choker reference --runs 20 --seed 1 \
  --no-save-runs --title "Experiment: bittyrant-in-reference" --out reports/experiments/bittyrant-in-reference/report "$@"
