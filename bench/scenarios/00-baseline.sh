# Baseline: GET /health/live through the same router, at max throughput and at a fixed rate.
start_service
load live /health/live
load live-fixed /health/live --rate "${BENCH_RATE:-2000}"
load support-services '/v1/support-services?age=15'
ratio "support-services / live" support-services live
