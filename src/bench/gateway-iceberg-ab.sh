#!/usr/bin/env bash
# What the SQL Gateway's Iceberg jars cost the stack's start (ADR 0095): `npm run stack up` and `down`
# in a scratch stack dir, without (CTR_ICEBERG=off) and with them, interleaved, ROUNDS rounds (plus
# one warm-up round that records the class-data archives). Per start: wall clock, the gateway's time
# to healthy, its CPU seconds (utime+stime) and loaded classes at that moment, the 1-minute load.
#   bash src/bench/gateway-iceberg-ab.sh [ROUNDS]   (a fresh scratch stack dir unless CTR_STACK_DIR is set; the jar cache is shared)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${CTR_STACK_DIR:-}" ]; then
  CTR_STACK_DIR=$(mktemp -d -t ctr-ab-stack.XXXXXX)
  trap 'npm run -s stack down > /dev/null 2>&1 || true; rm -rf "$CTR_STACK_DIR"' EXIT
fi
export CTR_STACK_DIR
tck=$(getconf CLK_TCK)
for round in warm $(seq 1 "${1:-5}"); do
  for mode in off on; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    log=$(mktemp)
    t0=$(date +%s.%N)
    CTR_ICEBERG=$mode npm run -s stack up > "$log" 2>&1
    t1=$(date +%s.%N)
    gw=$(grep -o 'sql-gateway *healthy.* in [0-9.]* s' "$log" | grep -o '[0-9.]* s$' || true)
    pid=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.env.CTR_STACK_DIR + '/state.json','utf8')).services['sql-gateway'].pid)")
    classes=$(jstat -class "$pid" | awk 'NR==2{print $1}')
    cpu=$(awk -v t="$tck" '{ printf "%.2f", ($14+$15)/t }' "/proc/$pid/stat")
    echo "round=$round mode=$mode stack_up_s=$(echo "$t1 - $t0" | bc) gateway_healthy=$gw gateway_cpu_s=$cpu gateway_classes=$classes load1m=$load"
    CTR_ICEBERG=$mode npm run -s stack down > /dev/null 2>&1
    rm -f "$log"
  done
done
