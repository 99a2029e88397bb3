#!/bin/sh
# Reproduce this experiment (deterministic: same command → same numbers and same PNG bytes).
# Run from the repository root after `npx tsc -p .`.
set -e
node dist/cli/main.js compare --scenario reports/experiments/optimistic-fairness/scenario.json --picker rarest --choker 'reference,reference?optimisticEvery=30' --runs 20 --seed 1 \
  --no-save-runs --title "Experiment: optimistic-fairness" --out reports/experiments/optimistic-fairness/report "$@"
