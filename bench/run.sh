#!/usr/bin/env bash
# Runs the benchmark scenarios against a freshly started service on loopback and prints one JSON
# line per measurement. Usage: bench/run.sh [scenario ...]   (default: every bench/scenarios/*.sh)
#
# Every figure that matters is a ratio to the baseline GET /health/live measured in the same run
# on the same machine, plus p50/p99 at a fixed rate. Loops are bounded by --duration.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT=${BENCH_PORT:-18089}
BASE="http://127.0.0.1:$PORT"
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
OUT=${BENCH_OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ).jsonl}
mkdir -p "$(dirname "$OUT")"

[ -f api/target/youth-safety-api.jar ] || mvn -B -q -DskipTests package
[ -f bench/target/loadgen.jar ] || mvn -B -q -pl bench package

# load NAME PATH [loadgen options...]: one measurement, appended to $OUT
load() {
  local name=$1 path=$2
  shift 2
  java -jar bench/target/loadgen.jar --name "$name" --url "$BASE$path" --duration "$DURATION" \
    --warmup "$WARMUP" --connections "$CONNECTIONS" "$@" | tee -a "$OUT"
}

# rps_of NAME: the rps of the last measurement called NAME in this run
rps_of() {
  grep "\"name\":\"$1\"" "$OUT" | tail -1 | sed -E 's/.*"rps":([0-9.]+).*/\1/'
}

# start_service [ENV=VALUE ...]: a fresh embedded-default service, access log off
start_service() {
  stop_service
  DATA=$(mktemp -d)
  env DATA_DIR="$DATA" PORT="$PORT" ACCESS_LOG_LEVEL=WARN "$@" java -jar api/target/youth-safety-api.jar \
    > "$DATA/service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "$BASE/health/ready" > /dev/null && return 0
    sleep 1
  done
  echo "service did not start; see $DATA/service.log" >&2
  return 1
}

# ratio NAME A B: records rps(A) / rps(B) measured in this run
ratio() {
  awk -v n="$1" -v a="$(rps_of "$2")" -v b="$(rps_of "$3")" \
    'BEGIN { printf "{\"name\":\"%s\",\"ratio\":%.2f}\n", n, a / b }' | tee -a "$OUT"
}

# wrk_rps NAME PATH [HEADER]: closed loop with wrk (a C client), 2 threads, 32 connections,
# WRK_SECONDS (default 3); one JSON line
wrk_rps() {
  local name=$1 path=$2 header=${3:-}
  local rps
  if [ -n "$header" ]; then
    rps=$(wrk -t2 -c32 -d"${WRK_SECONDS:-3}s" -H "$header" "$BASE$path" | sed -n 's/^Requests\/sec: *//p')
  else
    rps=$(wrk -t2 -c32 -d"${WRK_SECONDS:-3}s" "$BASE$path" | sed -n 's/^Requests\/sec: *//p')
  fi
  printf '{"name":"%s","mode":"wrk max 32 conns","rps":%s}\n' "$name" "$rps" | tee -a "$OUT"
}

# pair NAME PATH [HEADER]: /health/live, then PATH right after it, and their ratio, ROUNDS times
# (default 3): the machine's load swings within seconds, so each ratio is against its own baseline
pair() {
  local name=$1 path=$2 header=${3:-}
  for r in $(seq 1 "${ROUNDS:-3}"); do
    wrk_rps "live-for-$name-$r" /health/live
    wrk_rps "$name-$r" "$path" "$header"
    ratio "$name / live, round $r" "$name-$r" "live-for-$name-$r"
  done
}

stop_service() {
  if [ -n "${SERVICE_PID:-}" ]; then
    kill "$SERVICE_PID" 2> /dev/null || true
    wait "$SERVICE_PID" 2> /dev/null || true
    SERVICE_PID=
  fi
}
trap stop_service EXIT

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(bench/scenarios/*.sh)
for s in "${scenarios[@]}"; do
  echo "# scenario $s" >&2
  # shellcheck source=/dev/null
  source "$s"
done
echo "# results in $OUT" >&2
