#!/usr/bin/env bash
# Anonymous reports benchmark (issue 4). Starts the service on the embedded default (fsync and
# synchronous_commit ON) with its PostgreSQL on a known port, then, in one run against that same
# PostgreSQL:
#   1. pgbench, insert-only: one transaction per report writing the same two rows submitReport
#      writes (bench/reports/insert.sql, into copies of content.reports / content.report_submissions);
#   2. submitReport as fast as CLIENTS connections allow (closed loop, wrk + bench/reports/submit.lua:
#      a fresh Idempotency-Key and body per request);
#   3. GET /health/live the same way (the router's own ceiling on this machine);
#   4. submitReport at a fixed RATE per second (open loop, bench/reports/ReportsLoad.java with
#      HdrHistogram, latency from each request's intended start) for p50/p99.
# The figure that matters is (2) / (1): how close the API gets to PostgreSQL's own rate for the
# same writes, with every report committed synchronously (fsync on) before its 201.
# Keep it short: the machine is shared. Needs pgbench (postgresql-client) and wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${SECONDS_EACH:-20}
CLIENTS=${CLIENTS:-16}
RATE=${RATE:-50}
PG_PORT=${PG_PORT:-55439}
API_PORT=${API_PORT:-18089}
JAR=api/target/youth-safety-api.jar
HDR=${HDR:-$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar}
[ -f "$JAR" ] || mvn -B -q -o -DskipTests package
DATA=$(mktemp -d /tmp/reports-bench.XXXXXX)
cleanup() { [ -n "${APP:-}" ] && kill "$APP" 2>/dev/null && wait "$APP" 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT

DATA_DIR=$DATA EMBEDDED_PG_PORT=$PG_PORT PORT=$API_PORT HOST=127.0.0.1 DEMO_CONTENT=false \
  REPORT_SUBMIT_RATE_CAPACITY=1000000000 REPORT_SUBMIT_RATE_PER_HOUR=1000000000 \
  LOG_LEVEL=WARN ACCESS_LOG_LEVEL=WARN java -jar "$JAR" > "$DATA/app.log" 2>&1 &
APP=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$API_PORT/health/ready" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$API_PORT/health/ready" >/dev/null || { cat "$DATA/app.log"; exit 1; }

export PGPASSWORD=postgres
PSQL="psql -q -h 127.0.0.1 -p $PG_PORT -U postgres -d postgres -v ON_ERROR_STOP=1"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PostgreSQL: $($PSQL -Atc 'SHOW server_version'), fsync=$($PSQL -Atc 'SHOW fsync'), synchronous_commit=$($PSQL -Atc 'SHOW synchronous_commit'), cores=$(nproc)"
$PSQL -c "CREATE SCHEMA bench;
          CREATE TABLE bench.reports (LIKE content.reports INCLUDING ALL);
          CREATE TABLE bench.report_submissions (LIKE content.report_submissions INCLUDING ALL);"

echo "== 1. pgbench insert-only, $CLIENTS clients, ${SECONDS_EACH}s"
pgbench -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$CLIENTS" -j 2 -T "$SECONDS_EACH" -f bench/reports/insert.sql postgres \
  | grep -E "^(tps|number of transactions actually|latency average)"

LOAD="java -cp $HDR bench/reports/ReportsLoad.java"
URL="http://127.0.0.1:$API_PORT"
wrk -t2 -c"$CLIENTS" -d5s -s bench/reports/submit.lua "$URL" > /dev/null   # warm-up (JIT)
echo "== 2. submitReport, closed loop, $CLIENTS connections, ${SECONDS_EACH}s"
wrk -t2 -c"$CLIENTS" -d"${SECONDS_EACH}s" -s bench/reports/submit.lua "$URL" | grep -E "Requests/sec|non-2xx|requests in"
echo "== 3. GET /health/live, closed loop, $CLIENTS connections, ${SECONDS_EACH}s"
wrk -t2 -c"$CLIENTS" -d"${SECONDS_EACH}s" "$URL/health/live" | grep -E "Requests/sec|requests in"
echo "== 4. submitReport at a fixed $RATE/s, ${SECONDS_EACH}s"
$LOAD rate "$URL" "$SECONDS_EACH" "$RATE" report
echo "reports stored: $($PSQL -Atc 'SELECT count(*) FROM content.reports'), pgbench rows: $($PSQL -Atc 'SELECT count(*) FROM bench.reports')"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
