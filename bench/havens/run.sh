#!/usr/bin/env bash
# Safe Havens benchmark. Loopback only, about 2.5 minutes of load in all.
#
#   findNearbyHavens?openNow=true at 300 havens (the demo set) and at 100k (plus 99,700 synthetic
#   havens over Greater London), and listHavens with If-None-Match (304), each as a throughput
#   ratio against GET /health/live measured in the same run (wrk, closed loop), plus p50/p99 at a
#   fixed rate of half its own maximum (bench/target/loadgen.jar: open loop, latency from the
#   intended start, the same nearby points as wrk's). Both nearby indexes are run:
#   HAVEN_NEARBY_INDEX=memory (the default) and =postgres (the GiST/KNN alternative).
#
#   bench/havens/run.sh            # writes bench/results/havens-<time>.txt and prints a summary
#
# Settings: BENCH_PORT and BENCH_PG_PORT (free ports by default), BENCH_SECONDS per wrk run (2),
# BENCH_ROUNDS of interleaved wrk runs per configuration (5),
# BENCH_FIXED_SECONDS per fixed-rate run (6), BENCH_CONNECTIONS for wrk (16), BENCH_WARMUP_SECONDS of
# unrecorded load before each configuration (40).
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=api/target/youth-safety-api.jar
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=${BENCH_PORT:-$(free_port)}
PG_PORT=${BENCH_PG_PORT:-$(free_port)}
DUR=${BENCH_SECONDS:-2}
ROUNDS=${BENCH_ROUNDS:-5}
FIXED=${BENCH_FIXED_SECONDS:-6}
CONN=${BENCH_CONNECTIONS:-16}
WARMUP=${BENCH_WARMUP_SECONDS:-40}
BASE=http://127.0.0.1:$PORT
mkdir -p bench/results
OUT=bench/results/havens-$(date -u +%Y%m%dT%H%M%SZ).txt
DATA=$(mktemp -d /tmp/havens-bench.XXXXXX)
APP=
[ -f "$JAR" ] || mvn -B -q package -DskipTests
[ -f bench/target/loadgen.jar ] || mvn -B -q -pl bench package
command -v wrk >/dev/null || { echo "wrk is required (apt-get install -y wrk)"; exit 1; }

log() { echo "$*" | tee -a "$OUT"; }

start_app() {
  local mode=$1
  DATA_DIR=$DATA PORT=$PORT HOST=127.0.0.1 EMBEDDED_PG_PORT=$PG_PORT HAVEN_NEARBY_INDEX=$mode \
    DB_ACQUIRE_TIMEOUT=10s DB_CONNECT_TIMEOUT=10s ACCESS_LOG_LEVEL=WARN java -Xmx1g -jar "$JAR" >>"$DATA/app.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 240); do
    if curl -sf "$BASE/v1/havens/nearby?lat=51.5462&lon=-0.104" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "the app did not start; see $DATA/app.log"; exit 1
}

stop_app() {
  if [ -n "$APP" ]; then kill "$APP"; wait "$APP" 2>/dev/null || true; APP=; fi
}
trap 'stop_app; rm -rf "$DATA"' EXIT

# server CPU time so far (user + system), in clock ticks
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$APP/stat"; }
TICK_US=$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN { print 1000000 / hz }')

# closed-loop maximum of one short wrk run: prints "requests/s server-CPU-microseconds/request"
# (full wrk output kept in $OUT)
rps() {
  local label=$1; shift
  local result before after
  before=$(cpu_ticks)
  result=$(wrk -t1 -c"$CONN" -d"${DUR}s" --latency "$@")
  after=$(cpu_ticks)
  { echo "--- wrk $label (server CPU ticks $before -> $after)"; echo "$result"; } >>"$OUT"
  echo "$result" | awk -v t=$((after - before)) -v us="$TICK_US" \
    '/requests in/ { n = $1 } /Requests\/sec/ { r = $2 } END { printf "%s %.1f", r, t * us / n }'
}

# fixed LABEL PATHS-FILE RATE [HEADER]: open-loop latency at RATE requests/s (the house load
# generator's java.nio engine: latency from the intended send time; its line carries its own CPU per
# request, clientCpuUsPerReq, ~40-50 us at 9,000 req/s here, and sendLagP50/P99, how late it sent)
fixed() {
  local label=$1 paths=$2 rate=$3 header=${4:-}
  local line
  line=$(java -jar bench/target/loadgen.jar --name "$label" --url "$BASE/" --paths "$paths" --rate "$rate" \
    --duration "$FIXED" --warmup 3 --connections 32 ${header:+--header "$header"} 2>/dev/null | tail -1)
  log "$label: $line"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
half() { awk -v r="$1" 'BEGIN { printf "%d", r / 2 }'; }

# One configuration. The machine is shared, so its speed drifts by the second: the baseline and
# the operations are measured in ROUNDS short rounds, each round live then the operations, and
# each ratio is the median over rounds of (operation / the live run just before it). The server's
# own CPU time per request is measured too (from /proc): on a dedicated machine the throughput
# ratio is the inverse ratio of CPU per request, and that one does not drift with the neighbours.
run_config() {
  local name=$1 with_list=$2
  # warm-up, not recorded: on two shared cores the JIT compilers keep recompiling the request path
  # for 30-40 s (counted with -XX:+PrintCompilation); measured before that, a round partly measures
  # the compiler
  local until=$((SECONDS + WARMUP))
  while [ "$SECONDS" -lt "$until" ]; do
    wrk -t1 -c"$CONN" -d4s -s bench/havens/nearby.lua "$BASE" >/dev/null
    wrk -t1 -c"$CONN" -d2s "$BASE/health/live" >/dev/null
    if [ "$with_list" = yes ]; then wrk -t1 -c"$CONN" -d1s -H 'If-None-Match: *' "$BASE/v1/havens" >/dev/null; fi
  done
  local etag lives="" nears="" lists="" near_ratios="" list_ratios="" near_cpu="" list_cpu="" live near list
  # "If-None-Match: *" answers 304 with the current tag, without encoding the bundle
  etag=$(curl -s -D - -o /dev/null -H 'If-None-Match: *' "$BASE/v1/havens" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
  for round in $(seq 1 "$ROUNDS"); do
    read -r live live_us <<<"$(rps "$name live, round $round" "$BASE/health/live")"
    read -r near near_us <<<"$(rps "$name nearby openNow=true, round $round" -s bench/havens/nearby.lua "$BASE")"
    lives="$lives $live"; nears="$nears $near"
    near_ratios="$near_ratios $(awk -v a="$near" -v b="$live" 'BEGIN { printf "%.3f", a / b }')"
    near_cpu="$near_cpu $(awk -v a="$live_us" -v b="$near_us" 'BEGIN { printf "%.3f", a / b }')"
    log "$name round $round: live $live req/s (${live_us} us CPU/req), nearby $near req/s (${near_us} us CPU/req)"
    if [ "$with_list" = yes ]; then
      read -r list list_us <<<"$(rps "$name listHavens If-None-Match, round $round" -H "If-None-Match: $etag" "$BASE/v1/havens")"
      lists="$lists $list"
      list_ratios="$list_ratios $(awk -v a="$list" -v b="$live" 'BEGIN { printf "%.3f", a / b }')"
      list_cpu="$list_cpu $(awk -v a="$live_us" -v b="$list_us" 'BEGIN { printf "%.3f", a / b }')"
      log "$name round $round: listHavens(304) $list req/s (${list_us} us CPU/req)"
    fi
  done
  local near_max list_max live_max
  live_max=$(echo "$lives" | median); near_max=$(echo "$nears" | median)
  log "$name: live median $live_max req/s"
  log "$name: nearby openNow=true median $near_max req/s; throughput ratio median $(echo "$near_ratios" | median) [$near_ratios ]; CPU-per-request ratio median $(echo "$near_cpu" | median) [$near_cpu ]"
  fixed "$name nearby at half its max" "$NEARBY_PATHS" "$(half "$near_max")"
  if [ "$with_list" = yes ]; then
    list_max=$(echo "$lists" | median)
    log "$name: listHavens(304) median $list_max req/s; throughput ratio median $(echo "$list_ratios" | median) [$list_ratios ]; CPU-per-request ratio median $(echo "$list_cpu" | median) [$list_cpu ]"
    echo /v1/havens > "$DATA/list.paths"
    echo /health/live > "$DATA/live.paths"
    fixed "$name listHavens(304) at half its max" "$DATA/list.paths" "$(half "$list_max")" "If-None-Match: $etag"
    fixed "$name live at half its max" "$DATA/live.paths" "$(half "$live_max")"
  fi
}

# the nearby points of nearby.lua, for the fixed-rate runs
NEARBY_PATHS=$DATA/nearby.paths
awk 'BEGIN { srand(42); for (i = 0; i < 10000; i++)
  printf "/v1/havens/nearby?lat=%.6f&lon=%.6f&openNow=true\n", 51.522 + rand() * 0.050, -0.140 + rand() * 0.052 }' \
  > "$NEARBY_PATHS"

log "# Safe Havens benchmark $(date -u +%FT%TZ) on $(nproc) cores (shared), load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "# London time of the run: $(TZ=Europe/London date +%FT%T%z) (openNow depends on it)"

start_app memory
run_config "memory, 300 havens" yes
stop_app

start_app postgres
run_config "postgres, 300 havens" no
java -cp "$JAR" bench/havens/LoadHavens.java "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" 99700 | tee -a "$OUT"
sleep 2
run_config "postgres, 100k havens" no
stop_app

start_app memory
# listHavens answers 304 from the same in-memory tag whatever the size: measured at 300 only
run_config "memory, 100k havens" no
stop_app

log "# load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results: $OUT"
