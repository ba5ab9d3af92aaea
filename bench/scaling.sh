#!/usr/bin/env bash
# Peak memory and time per Gauss–Newton pass versus record length (n_z = 325) and versus the
# number of decision variables (10,000 samples), each point in its own process under
# /usr/bin/time -v. Writes bench/results/scaling*.txt, scaling.md and two plots.
#   bash bench/scaling.sh             # everything (about 7 minutes on 2 cores)
#   bash bench/scaling.sh --params    # only the sweep over decision variables
#   bash bench/scaling.sh --format    # format the existing raw files only
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(scripts/node-env.sh):$PATH"
point() { # samples hidden raw-file
  /usr/bin/time -v npx tsx bench/scaling.ts --samples "$1" --hidden "$2" --iterations 2 2> /tmp/nails-time.txt | tail -1 >> "$3"
  grep "Maximum resident" /tmp/nails-time.txt >> "$3"
}
mode="${1:-all}"
if [ "$mode" = all ]; then
  : > bench/results/scaling-raw.txt
  for N in 1000 10000 100000 1000000; do point "$N" 12 bench/results/scaling-raw.txt; done
fi
if [ "$mode" = all ] || [ "$mode" = --params ]; then
  : > bench/results/scaling-params-raw.txt
  for H in 0 4 10 21 43; do point 10000 "$H" bench/results/scaling-params-raw.txt; done
fi
npx tsx bench/scaling-report.ts
