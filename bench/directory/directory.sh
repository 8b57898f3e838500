# Support directory, sourced by bench/run.sh:   bench/run.sh bench/directory/directory.sh
#
# The embedded default with the seeded Directory of Support (31 services). Throughput ratios to
# GET /health/live with wrk (a C client), in ROUNDS interleaved rounds, each endpoint right after
# its own /health/live run (the machine's load swings within seconds: read the median):
#   directory         listSupportServices as the app first asks it (`?limit=100`: the whole
#                     directory for its offline copy), answered from memory
#   directory-open    `?openNow=true` ("who can I talk to now"), answered from memory
#   directory-304     `?limit=100` with If-None-Match (the app revalidating its copy: 304, no body)
# then p50/p99 at a fixed rate with the house load generator (open loop).
DIRECTORY_RATE=${BENCH_DIRECTORY_RATE:-1000}
ROUNDS=${BENCH_DIRECTORY_ROUNDS:-3}
WRK_SECONDS=${BENCH_DIRECTORY_WRK_SECONDS:-3}
FULL="/v1/support-services?limit=100"
OPEN="/v1/support-services?openNow=true"

start_service DB_ACQUIRE_TIMEOUT=15s DB_CONNECT_TIMEOUT=15s
ETAG=$(curl -sf -D - -o /dev/null "$BASE$FULL" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
curl -sf "$BASE$OPEN" > /dev/null
# JIT warm-up of the common path and of the directory's
for _ in 1 2 3; do
  wrk -t2 -c32 -d3s "$BASE/health/live" > /dev/null
  wrk -t2 -c32 -d3s "$BASE$FULL" > /dev/null
  wrk -t2 -c32 -d2s -H "If-None-Match: $ETAG" "$BASE$FULL" > /dev/null
done

pair directory "$FULL"
pair directory-304 "$FULL" "If-None-Match: $ETAG"
pair directory-open "$OPEN"

load live-fixed /health/live --rate "$DIRECTORY_RATE"
load directory-fixed "$FULL" --rate "$DIRECTORY_RATE" --expect 200
load directory-304-fixed "$FULL" --rate "$DIRECTORY_RATE" --header "If-None-Match: $ETAG" --expect 304
