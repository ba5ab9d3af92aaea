#!/usr/bin/env bash
# Peak memory and time per NAILM iteration versus record length (RNN, 325 parameters), each size
# in its own process under /usr/bin/time -v. Writes bench/results/scaling-raw.txt and scaling.md.
#   bash bench/scaling.sh            # run (about 6 minutes on 2 cores) and format
#   bash bench/scaling.sh --format   # format the existing raw file only
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(scripts/node-env.sh):$PATH"
raw=bench/results/scaling-raw.txt
if [ "${1:-}" != "--format" ]; then
  : > "$raw"
  for N in 1000 10000 100000 1000000; do
    /usr/bin/time -v npx tsx bench/scaling.ts --samples $N --iterations 2 2>/tmp/nails-time.$N | tail -1 >> "$raw"
    grep "Maximum resident" /tmp/nails-time.$N >> "$raw"
  done
fi
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
const rows = [];
for (let i = 0; i < lines.length; i += 2) {
  const r = JSON.parse(lines[i]);
  const rss = Number(lines[i + 1].split(":")[1]) / 1024;
  rows.push(`| ${r.samples.toLocaleString("en")} | ${r.parameters} | ${r.gn_pass_s.toFixed(3)} | ${(r.gn_pass_s / r.samples * 1e6).toFixed(1)} | ${rss.toFixed(0)} |`);
}
console.log(["# NAILM scaling with the record length", "", "Command: `bash bench/scaling.sh` (each size: `/usr/bin/time -v npx tsx bench/scaling.ts --samples N --iterations 2`).", "RNN nx = 6, 12 tanh units in each map, 319 parameters + 6 initial states; chunk 512 samples.", "", "| samples | n_z | Gauss–Newton pass, s | µs per sample | peak RSS (time -v), MB |", "| ---: | ---: | ---: | ---: | ---: |", ...rows, "", "A materialised Jacobian for 1,000,000 samples × 325 columns would alone take 2.6 GB."].join("\n"));
' "$raw" > bench/results/scaling.md
cat bench/results/scaling.md
