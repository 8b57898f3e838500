# Anonymous reports, sourced by bench/run.sh.
#
# submitReport with synchronous commit (fsync and synchronous_commit on, as the embedded default
# runs) against an insert-only pgbench run of the same writes on the same PostgreSQL in the same
# run: bench/reports/insert.sql writes a report row and its idempotency record, with ciphertext and
# hashes of the same sizes, into copies of the two tables (same unique indexes and checks), one
# transaction per report. The ratio says how close the API gets to PostgreSQL's own rate for what
# a report must write (target >= 0.5). GET /health/live is measured in the same rounds. pgbench,
# submitReport and liveness alternate for REPORTS_ROUNDS rounds so that a noisy neighbour hurts all
# alike; the ratios are of the means. Then p50/p99 of submitReport at each fixed rate in REPORTS_RATES.
#
# Like with like: both closed loops use a C client with the same number of connections (pgbench's
# clients; wrk with bench/reports/submit.lua, a fresh Idempotency-Key and body per request), and
# the service's pool has as many PostgreSQL connections as pgbench has clients. On this 2-core
# machine a JVM client is still the dearer one (the house load generator: ~40-230 us of CPU per
# request depending on the rate, each wake-up from sleep costing ~40-80 us here), so it is used
# only for the fixed-rate latency, where it runs at a low rate and measures from the scheduled
# send time.
#
# Needs pgbench and psql (Debian: postgresql-client) and wrk. Every request has a fresh Idempotency-Key;
# every 201 must be a stored report (checked against the table's count at the end).
REPORTS_PG_PORT=${REPORTS_PG_PORT:-55439}
REPORTS_RATES=${REPORTS_RATES:-20 200}
REPORTS_ROUNDS=${REPORTS_ROUNDS:-2}
if ! command -v pgbench > /dev/null || ! command -v psql > /dev/null || ! command -v wrk > /dev/null; then
  echo "# reports: pgbench/psql/wrk not found (apt-get install postgresql-client wrk); skipped" >&2
else
  start_service EMBEDDED_PG_PORT="$REPORTS_PG_PORT" DEMO_CONTENT=false LOG_LEVEL=WARN \
    REPORT_SUBMIT_RATE_CAPACITY=1000000 REPORT_SUBMIT_RATE_PER_HOUR=1000000 DB_POOL_SIZE="$CONNECTIONS"
  reports_psql() {
    PGPASSWORD=postgres psql -q -X -h 127.0.0.1 -p "$REPORTS_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
  }
  reports_submit() { # NAME [loadgen options]: open loop at a fixed rate (house load generator)
    local name=$1
    shift
    load "$name" /v1/reports --method POST --expect 201 --body bench/reports/report.json \
      --header 'Content-Type: application/json' --header 'Idempotency-Key: bench-{uuid}' "$@"
  }
  REPORTS_CREATED=0
  reports_wrk() { # NAME PATH [wrk options]: closed loop, 2 threads, $CONNECTIONS connections, one JSON line
    local name=$1 path=$2
    shift 2
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$@" "$BASE$path" > "$OUT.wrk"
    local created
    created=$(sed -n 's/^created \([0-9]*\) non201.*/\1/p' "$OUT.wrk")
    REPORTS_CREATED=$((REPORTS_CREATED + ${created:-0}))
    awk -v n="$name" -v c="$CONNECTIONS" '
        / requests in / { r = $1 }
        /Non-2xx or 3xx/ { e = $NF }
        /^created/ { e = $4 }
        /Socket errors/ { gsub(/,/, ""); se = $4 + $6 + $8 + $10 }
        /^ *Latency / { l = $2 }
        /^Requests\/sec/ { printf "{\"name\":\"%s\",\"mode\":\"wrk max %s conns\",\"requests\":%d,\"errors\":%d,\"rps\":%.1f,\"latencyAvg\":\"%s\"}\n", n, c, r, e + se, $2, l }' \
      "$OUT.wrk" | tee -a "$OUT"
    rm -f "$OUT.wrk"
  }
  reports_pgbench() { # NAME
    { PGPASSWORD=postgres pgbench -n -h 127.0.0.1 -p "$REPORTS_PG_PORT" -U postgres -c "$CONNECTIONS" -j 2 \
        -T "$DURATION" -f bench/reports/insert.sql postgres 2> /dev/null || true; } \
      | awk -v c="$CONNECTIONS" -v n="$1" '/^number of transactions actually processed/ { t = $NF }
          /^latency average/ { l = $4 }
          /^tps/ { printf "{\"name\":\"%s\",\"mode\":\"max %s conns\",\"requests\":%d,\"errors\":0,\"rps\":%.1f,\"latencyAvg\":%s}\n", n, c, t, $3, l }' \
      | tee -a "$OUT"
  }
  reports_mean_ratio() { # LABEL PREFIX_A PREFIX_B: mean rps of measurements named PREFIX_A-<round> over PREFIX_B-<round>
    awk -v label="$1" -v a="\"name\":\"$2-[0-9]+\"" -v b="\"name\":\"$3-[0-9]+\"" '
        $0 ~ a { sub(/.*"rps":/, ""); sa += $0 + 0; na++ }
        $0 ~ b { sub(/.*"rps":/, ""); sb += $0 + 0; nb++ }
        END { printf "{\"name\":\"%s\",\"ratio\":%.2f,\"rounds\":%d}\n", label, (sa / na) / (sb / nb), na }' "$OUT" \
      | tee -a "$OUT"
  }
  echo "# reports: PostgreSQL $(reports_psql -Atc 'SHOW server_version'), fsync=$(reports_psql -Atc 'SHOW fsync')," \
    "synchronous_commit=$(reports_psql -Atc 'SHOW synchronous_commit'), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  reports_psql -c "CREATE SCHEMA IF NOT EXISTS bench;
                   CREATE TABLE bench.reports (LIKE content.reports INCLUDING ALL);
                   CREATE TABLE bench.idempotency_keys (LIKE content.idempotency_keys INCLUDING ALL);"

  # warm the JIT up on the submit path first (compiler threads get little CPU on a busy machine)
  DURATION=${REPORTS_WARMUP:-30} reports_wrk submit-report-warmup /v1/reports -s bench/reports/submit.lua > /dev/null
  wrk -t2 -c"$CONNECTIONS" -d5s "$BASE/health/live" > /dev/null
  for round in $(seq 1 "$REPORTS_ROUNDS"); do
    reports_pgbench "reports-pgbench-insert-$round"
    reports_wrk "submit-report-$round" /v1/reports -s bench/reports/submit.lua
    reports_wrk "reports-live-$round" /health/live
  done
  for rate in $REPORTS_RATES; do
    reports_submit "submit-report-fixed-$rate" --rate "$rate"
  done
  reports_mean_ratio "submit-report / pgbench-insert" submit-report reports-pgbench-insert
  reports_mean_ratio "submit-report / live" submit-report reports-live
  REPORTS_FIXED=$(grep '"name":"submit-report-fixed-' "$OUT" | sed -E 's/.*"requests":([0-9]+).*/\1/' | awk '{ s += $0 } END { print s + 0 }')
  echo "# reports: $(reports_psql -Atc 'SELECT count(*) FROM content.reports') reports stored;" \
    "$((REPORTS_CREATED + ${REPORTS_FIXED:-0})) answered 201 in the measured windows (in-flight requests at a window's end are" \
    "stored but not counted); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
fi
