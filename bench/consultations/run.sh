#!/usr/bin/env bash
# "A popular poll opens" (docs/benchmarks.md, section Consultations). Short and bounded: about a
# minute or two. Arguments: votes per phase (300), requests in flight (32), fixed rate per second (20),
# fixed-rate seconds (15).
exec "$(dirname "$0")/../single-file.sh" bench/consultations/PopularPoll.java consultations "$@"
