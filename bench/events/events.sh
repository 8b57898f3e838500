# Events, sourced by bench/run.sh:   bench/run.sh bench/events/events.sh
#
# The embedded default with its sample month of events (demo content).
#
# Throughput ratios to GET /health/live with wrk (a C client: on this shared 2-core machine a JVM
# client takes much of the CPU it measures), in ROUNDS interleaved rounds of short runs, each
# endpoint right after its own /health/live run (the machine's load swings within seconds: read
# the median of the rounds):
#   events-week       listEvents for the next 7 days, `?to=<now+7d>` (from defaults to now): the
#                     app's "what's on this week", served from the answer cache
#   events-week-ft    the same window as `?from=..&to=..` (one more query parameter for the
#                     router's contract validation to check)
#   events-ics        eventsCalendar (what a phone calendar polls), from the answer cache
#   events-week-304   `?to=` with If-None-Match (the app revalidating: 304, no body)
#   events-near       "near me" (lat/lon/radius): never answer-cached, computed from the in-memory
#                     catalogue
# then p50/p99 at a fixed rate with the house load generator (open loop, no coordinated omission),
# and listEvents with the cache switched off (EVENTS_CACHE=false: PostgreSQL and ical4j on every
# request).
TO=$(date -u -d '+7 days' +%Y-%m-%dT%H:%M:00Z)
FROM=$(date -u +%Y-%m-%dT%H:%M:00Z)
WEEK="/v1/events?to=$TO"
WEEK_FT="/v1/events?from=$FROM&to=$TO"
NEAR="$WEEK&lat=51.5463&lon=-0.1040&radius=3000"
EVENTS_RATE=${BENCH_EVENTS_RATE:-100}
ROUNDS=${BENCH_EVENTS_ROUNDS:-3}
WRK_SECONDS=${BENCH_EVENTS_WRK_SECONDS:-3}
SLOW_DB="DB_ACQUIRE_TIMEOUT=15s DB_CONNECT_TIMEOUT=15s"

start_service $SLOW_DB
ETAG=$(curl -sf -D - -o /dev/null "$BASE$WEEK" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
for p in "$WEEK_FT" "$NEAR" /v1/events.ics; do curl -sf "$BASE$p" > /dev/null; done
wrk -t2 -c32 -d3s "$BASE/health/live" > /dev/null   # JIT warm-up of the common path
wrk -t2 -c32 -d3s "$BASE$WEEK" > /dev/null

pair events-week "$WEEK"
pair events-ics /v1/events.ics
pair events-week-ft "$WEEK_FT"
ROUNDS=2 pair events-week-304 "$WEEK" "If-None-Match: $ETAG"
ROUNDS=2 pair events-near "$NEAR"

load live-fixed /health/live --rate "$EVENTS_RATE"
load events-week-fixed "$WEEK" --rate "$EVENTS_RATE" --expect 200
load events-ics-fixed /v1/events.ics --rate "$EVENTS_RATE" --expect 200
load events-near-fixed "$NEAR" --rate "$EVENTS_RATE" --expect 200

# without the cache: PostgreSQL and ical4j on every request
start_service EVENTS_CACHE=false $SLOW_DB
curl -sf "$BASE$WEEK" > /dev/null
ROUNDS=2 pair events-week-nocache "$WEEK"
