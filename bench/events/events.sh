# Events (issue 6), sourced by bench/run.sh:   bench/run.sh bench/events/events.sh
#
# The embedded default with its sample month of events (demo content). Measures, against
# GET /health/live in the same run:
#   - listEvents for the next 7 days (the app's "what's on this week"), served from the answer cache;
#   - the same with If-None-Match (the app revalidating: 304, no body);
#   - listEvents "near me" (lat/lon/radius): never answer-cached, computed from the in-memory catalogue;
#   - eventsCalendar (the .ics a phone calendar polls), served from the answer cache;
# then p50/p99 of each at a fixed rate, and finally listEvents with the cache switched off
# (EVENTS_CACHE=false: every request reads PostgreSQL and expands the recurrences).
FROM=$(date -u +%Y-%m-%dT%H:00:00Z)
TO=$(date -u -d '+7 days' +%Y-%m-%dT%H:00:00Z)
WEEK="/v1/events?from=$FROM&to=$TO"
EVENTS_RATE=${BENCH_EVENTS_RATE:-1000}

start_service DB_ACQUIRE_TIMEOUT=10s DB_CONNECT_TIMEOUT=10s
ETAG=$(curl -sf -D - -o /dev/null "$BASE$WEEK" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
curl -sf "$BASE$WEEK" > /dev/null
curl -sf "$BASE/v1/events.ics" > /dev/null

load live /health/live
load events-week "$WEEK" --expect 200
load events-week-304 "$WEEK" --header "If-None-Match: $ETAG" --expect 304
load events-near "$WEEK&lat=51.5463&lon=-0.1040&radius=3000" --expect 200
load events-ics /v1/events.ics --expect 200
ratio "events-week / live" events-week live
ratio "events-week-304 / live" events-week-304 live
ratio "events-near / live" events-near live
ratio "events-ics / live" events-ics live

load live-fixed /health/live --rate "$EVENTS_RATE"
load events-week-fixed "$WEEK" --rate "$EVENTS_RATE" --expect 200
load events-near-fixed "$WEEK&lat=51.5463&lon=-0.1040&radius=3000" --rate "$EVENTS_RATE" --expect 200
load events-ics-fixed /v1/events.ics --rate "$EVENTS_RATE" --expect 200

# without the cache: PostgreSQL and ical4j on every request
start_service EVENTS_CACHE=false DB_ACQUIRE_TIMEOUT=10s DB_CONNECT_TIMEOUT=10s
curl -sf "$BASE$WEEK" > /dev/null
load live-nocache /health/live
load events-week-nocache "$WEEK" --expect 200
ratio "events-week (no cache) / live" events-week-nocache live-nocache
